// env -> what the Worker works with. Config, logger and metrics once per isolate (env is
// the same object for every request an isolate serves). Neon's store once per invocation
// (a request or a cron run), since its sockets belong to that invocation; D1's once per
// binding, which holds no socket: building a store (Drizzle and its queries) cost more
// CPU than the rest of a D1 request's own work.
import { type Config, parseConfig } from "../config.js";
import { analyticsEngineMetrics } from "../observability/analytics-engine.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { type Metrics, noMetrics } from "../observability/metrics.js";
import { instrumentStore } from "../store/instrumented.js";
import { neonStore } from "../store/pg/neon.js";
import { d1Store } from "../store/sqlite/d1.js";
import type { Store } from "../store/types.js";
import type { WorkerEnv } from "./env.js";

export interface IsolateDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
}

export function workerLogger(config: Pick<Config, "LOG_LEVEL">): Logger {
  return createLogger(config.LOG_LEVEL, { runtime: "workers" });
}

/** Throws (with what is wrong) when the vars or secrets are invalid. */
export function isolateDeps(env: WorkerEnv): IsolateDeps {
  const config = parseConfig(env as unknown as Record<string, unknown>);
  if (!config.DATABASE_URL && !env.DB) {
    throw new Error("no database: set the DATABASE_URL secret or bind a D1 database as DB");
  }
  const metrics = env.METRICS ? analyticsEngineMetrics(env.METRICS) : noMetrics;
  return { config, logger: workerLogger(config), metrics };
}

const d1Stores = new WeakMap<D1Database, Store>();

/**
 * The store of one invocation: Neon Postgres when DATABASE_URL is set, else the D1
 * binding's (the same for every invocation; closing it is a no-op); measured.
 */
export function openWorkerStore(env: WorkerEnv, { config, metrics }: IsolateDeps): Store {
  if (config.DATABASE_URL) {
    return instrumentStore(neonStore({ url: config.DATABASE_URL, wsProxy: env.NEON_WS_PROXY }), metrics);
  }
  const binding = env.DB as D1Database;
  let store = d1Stores.get(binding);
  if (!store) {
    store = instrumentStore(d1Store(binding), metrics);
    d1Stores.set(binding, store);
  }
  return store;
}
