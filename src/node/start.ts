// Starts the Node server from a Config: used by `npm start`, the tests and the bench.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createAnalytics } from "../analytics.js";
import { createApp } from "../app.js";
import type { Config } from "../config.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { prometheusMetrics } from "../observability/prometheus.js";
import type { Store } from "../store/types.js";
import { openStore, serviceStore } from "./store.js";

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger = createLogger(config.LOG_LEVEL)) {
  const open = config.API_TOKENS.length === 0;
  if (open && !isLoopback(config.HOST)) {
    throw new Error(
      `refusing to listen on ${config.HOST} without API_TOKENS: set tokens, or bind HOST to a loopback address`,
    );
  }
  const metrics = prometheusMetrics();
  const base = await openStore(config);
  const store = serviceStore(base, metrics);
  const app = createApp({
    analytics: createAnalytics(store),
    auth: { tokens: config.API_TOKENS, open, scannerKey: config.SCANNER_SIGNING_KEY },
    logger,
    metrics,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
  logger.info("listening", {
    url: `http://${host}:${port}`,
    database: store.dialect,
    auth: open ? "open (no API_TOKENS; loopback only)" : `${config.API_TOKENS.length} tokens`,
  });
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await base.close();
    },
  } satisfies RunningServer;
}
