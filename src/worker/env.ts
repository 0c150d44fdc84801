// What the Worker is given: vars and secrets (strings, validated by src/config.ts) and
// bindings (wrangler.toml).
export interface WorkerEnv {
  /** D1 binding: the database when DATABASE_URL is not set. */
  DB?: D1Database;
  /** Secret: Neon Postgres. Takes precedence over DB. */
  DATABASE_URL?: string;
  /** Workers Analytics Engine dataset for metrics; optional. */
  METRICS?: AnalyticsEngineDataset;
  /** Tests only: host:port of a WebSocket-to-TCP proxy in front of a plain Postgres. */
  NEON_WS_PROXY?: string;
  API_TOKENS?: string;
  SCANNER_SIGNING_KEY?: string;
  /** "true" only in the local dev config, and honoured only for loopback requests. */
  AUTH_DISABLED?: string;
  LOG_LEVEL?: string;
  RETENTION_DAYS?: string;
  STATS_CACHE_SECONDS?: string;
}
