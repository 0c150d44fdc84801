// Child process of the bench: the real Node server (src/node/start.ts) with a config from
// the environment. It prints one JSON line {"msg":"listening","url":...} on stdout (the
// server's own line is an info log, muted at LOG_LEVEL=warn) and stops on SIGTERM.
import { parseConfig } from "../../src/config.js";
import { startServer } from "../../src/node/start.js";
import { createLogger } from "../../src/observability/logger.js";

const config = parseConfig(process.env);
const server = await startServer(config, createLogger(config.LOG_LEVEL));
console.log(JSON.stringify({ msg: "listening", url: server.url }));
process.once("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
