// Neon serverless Postgres (Workers): the Postgres store over a WebSocket Pool. On
// Workers a socket belongs to the request that opened it, so the pool is made, used and
// ended within one request (the caller ends it with ctx.waitUntil(store.close())).
import { Client, type ClientConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { withStoreErrors } from "../errors.js";
import type { Store } from "../types.js";
import { classifyPg } from "./errors.js";
import { type PgDb, pgStore } from "./store.js";

const NEON_MIGRATE_HINT =
  "apply drizzle/pg with `DATABASE_URL=… npx drizzle-kit migrate --config drizzle.pg.config.ts`";

export interface NeonOptions {
  url: string;
  /**
   * Connections in the pool. A Worker invocation may hold only six connections at once;
   * one request needs one (two while a transaction runs beside a read).
   */
  max?: number;
  /**
   * Tests and local runs only (NEON_WS_PROXY): host:port of a WebSocket-to-TCP proxy in
   * front of a plain Postgres, instead of Neon's own endpoint.
   */
  wsProxy?: string | undefined;
}

/**
 * Clients that reach Postgres through the proxy at `hostPort`: plain ws://, no TLS
 * inside the socket, no pipelined password (a local server may use trust auth). Set per
 * client, not on the global neonConfig, so concurrent requests cannot see each other's.
 */
export function proxiedClient(hostPort: string): typeof Client {
  return class ProxiedClient extends Client {
    constructor(config?: string | ClientConfig) {
      super(config);
      this.neonConfig.wsProxy = (host, port) => `${hostPort}/v2?address=${host}:${port}`;
      this.neonConfig.useSecureWebSocket = false;
      this.neonConfig.pipelineTLS = false;
      this.neonConfig.pipelineConnect = false;
    }
  };
}

export function neonStore(opts: NeonOptions): Store {
  const pool = new Pool({ connectionString: opts.url, max: opts.max ?? 4 });
  if (opts.wsProxy) pool.Client = proxiedClient(opts.wsProxy);
  // A connection dropped while idle must not surface as an unhandled error.
  pool.on("error", () => {});
  // No `schema`: the store never uses Drizzle's relational queries, and building their
  // config walks every table on each request (a store is made per request here).
  const db = drizzle({ client: pool });
  return withStoreErrors(
    pgStore(db as unknown as PgDb, () => pool.end()),
    classifyPg,
    NEON_MIGRATE_HINT,
  );
}
