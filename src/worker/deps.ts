// env -> what one invocation (a request or a cron run) works with. Built per invocation:
// bindings and sockets belong to it, so nothing here outlives it.
import { type Config, parseConfig } from "../config.js";
import { analyticsEngineMetrics } from "../observability/analytics-engine.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { type Metrics, noMetrics } from "../observability/metrics.js";
import type { Store } from "../store/types.js";
import type { WorkerEnv } from "./env.js";
import { openWorkerStore } from "./store.js";

export interface WorkerDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store: Store;
}

export function workerConfig(env: WorkerEnv): Config {
  return parseConfig(env as unknown as Record<string, unknown>);
}

export function workerLogger(config: Pick<Config, "LOG_LEVEL">): Logger {
  return createLogger(config.LOG_LEVEL, { runtime: "workers" });
}

export function workerDeps(env: WorkerEnv, config: Config = workerConfig(env)): WorkerDeps {
  const metrics = env.METRICS ? analyticsEngineMetrics(env.METRICS) : noMetrics;
  return { config, logger: workerLogger(config), metrics, store: openWorkerStore(env, config, metrics) };
}
