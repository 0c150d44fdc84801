// What the Worker is given. Its bindings and vars are Cloudflare.Env, generated from
// wrangler.toml by `npm run cf-typegen` (./worker-configuration.d.ts, checked by
// `npm test`). Secrets are not declared there (wrangler.toml says why), so they are
// named here. Values are validated by src/config.ts.
export type WorkerEnv = Cloudflare.Env & {
  /** role:token pairs, as on Node (a secret). */
  API_TOKENS?: string;
  /** Neon Postgres; takes precedence over the D1 binding DB. */
  DATABASE_URL?: string;
  SCANNER_SIGNING_KEY?: string;
  /** Tests only: host:port of a WebSocket-to-TCP proxy in front of a plain Postgres. */
  NEON_WS_PROXY?: string;
};
