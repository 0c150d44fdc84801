// The Worker's store for one request or one cron run: Neon Postgres when DATABASE_URL is
// set, else the D1 binding; measured like Node's. Never kept beyond the invocation.
import type { Config } from "../config.js";
import { instrumentStore, type Metrics } from "../observability/metrics.js";
import { neonStore } from "../store/pg/neon.js";
import { d1Store } from "../store/sqlite/d1.js";
import type { Store } from "../store/types.js";
import type { WorkerEnv } from "./env.js";

export function openWorkerStore(env: WorkerEnv, config: Config, metrics: Metrics): Store {
  let store: Store;
  if (config.DATABASE_URL) {
    store = neonStore({ url: config.DATABASE_URL, wsProxy: env.NEON_WS_PROXY });
  } else if (env.DB) {
    store = d1Store(env.DB);
  } else {
    throw new Error("no database: set the DATABASE_URL secret or bind a D1 database as DB");
  }
  return instrumentStore(store, metrics);
}
