// What the Worker is given. Its bindings and vars are Cloudflare.Env, generated from
// wrangler.toml by `npm run cf-typegen` (./worker-configuration.d.ts, checked by
// `npm test`). wrangler types a secret only when an environment requires it (API_TOKENS,
// in production); the optional ones are named here. Values are validated by src/config.ts.
export type WorkerEnv = Cloudflare.Env & {
  /** Neon Postgres; takes precedence over the D1 binding DB. */
  DATABASE_URL?: string;
  SCANNER_SIGNING_KEY?: string;
  /** Tests only: host:port of a WebSocket-to-TCP proxy in front of a plain Postgres. */
  NEON_WS_PROXY?: string;
};
