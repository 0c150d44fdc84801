// Node entry (`npm start`): env -> config -> server. Stops cleanly on SIGINT/SIGTERM.
import { parseConfig } from "./config.js";
import { startServer } from "./node/start.js";
import { createLogger, errorFields } from "./observability/logger.js";

const logger = createLogger((process.env.LOG_LEVEL as never) || "info");
try {
  const config = parseConfig(process.env);
  const server = await startServer(config, createLogger(config.LOG_LEVEL));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      logger.info("shutting down", { signal });
      server.close().then(() => process.exit(0));
    });
  }
} catch (err) {
  logger.error("failed to start", errorFields(err));
  process.exit(1);
}
