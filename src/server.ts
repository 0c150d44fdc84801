// Node entry (`npm start`): env -> config -> server. SIGTERM and SIGINT drain it: nothing
// new is accepted, GET /health answers 503, requests in flight finish (within
// SHUTDOWN_GRACE_MS), the store closes, and the process exits 0.
import { type Config, parseConfig } from "./config.js";
import { databaseTarget, errorMessage } from "./node/database-target.js";
import { stdoutLines } from "./node/log-sink.js";
import { startServer } from "./node/start.js";
import { createLogger, errorFields } from "./observability/logger.js";

const lines = stdoutLines();
const logger = createLogger((process.env.LOG_LEVEL as never) || "info", {}, lines);
let config: Config | undefined;
try {
  config = parseConfig(process.env);
  const server = await startServer(config, createLogger(config.LOG_LEVEL, {}, lines));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      logger.info("shutting down: draining requests in flight", { signal });
      server.drain().then(
        () => {
          logger.info("stopped");
          process.exit(0);
        },
        (err) => {
          logger.error("shutdown failed", errorFields(err));
          process.exit(1);
        },
      );
    });
  }
} catch (err) {
  // The reason first, in words (a driver's "connect ECONNREFUSED", not Drizzle's "Failed
  // query" around it), and on which database.
  const on = config ? databaseTarget(config) : {};
  logger.error(`failed to start: ${errorMessage(err)}`, { ...on, ...errorFields(err) });
  process.exit(1);
}
