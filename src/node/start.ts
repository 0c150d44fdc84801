// Starts the Node server from a Config: used by `npm start`, the tests and the bench.
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createAnalytics } from "../analytics.js";
import { createApp, sharedServices } from "../app.js";
import { isLoopbackHost, isLoopbackUrl } from "../auth/loopback.js";
import { alertThresholds, type Config } from "../config.js";
import { edgeCache } from "../http/edge-cache.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { prometheusMetrics } from "../observability/prometheus.js";
import apiDocument from "../openapi.json" with { type: "json" };
import { instrumentStore } from "../store/instrumented.js";
import type { Store } from "../store/types.js";
import { publicAssets } from "./public-assets.js";
import { openStore } from "./store.js";

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  /** Stops at once: open connections are cut, the store closed. */
  close(): Promise<void>;
  /**
   * Stops gracefully (SIGTERM): accepts nothing new, answers GET /health with 503, lets
   * requests in flight finish within SHUTDOWN_GRACE_MS, then closes the store.
   */
  drain(): Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.LOG_LEVEL),
): Promise<RunningServer> {
  // Open only with no tokens of either kind: a signing key alone means signed tokens
  // (scanners, scoped readers) guard the server, and an open server would ignore them.
  const open = config.API_TOKENS.length === 0 && !config.SCANNER_SIGNING_KEY;
  if (open && !isLoopbackHost(config.HOST)) {
    throw new Error(
      `refusing to listen on ${config.HOST} without API_TOKENS or SCANNER_SIGNING_KEY: set tokens, or bind HOST to a loopback address`,
    );
  }
  // An open server whose answers any page may read: every site its user visits could read
  // and write it from their browser.
  if (open && config.CORS_ORIGINS.includes("*")) {
    throw new Error(
      "refusing CORS_ORIGINS=* without API_TOKENS or SCANNER_SIGNING_KEY: every site could use this server from a browser; list the origins, or set tokens",
    );
  }
  const metrics = prometheusMetrics();
  // Node's own SHA-256, synchronous, for token checks and ETags (WebCrypto's goes through
  // the thread pool).
  const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest();
  const store = instrumentStore(await openStore(config, logger), metrics);
  metrics.watchStore(async () => store.pressure?.());
  let draining = false;
  const app = createApp({
    services: sharedServices(createAnalytics(store, { alerts: alertThresholds(config) })),
    auth: {
      tokens: config.API_TOKENS,
      // Open to requests addressed to this machine by name, never to a page elsewhere
      // whose name resolves here.
      openFor: (url) => open && isLoopbackUrl(url),
      scannerKey: config.SCANNER_SIGNING_KEY,
      sha256,
    },
    logger,
    metrics,
    corsOrigins: config.CORS_ORIGINS,
    apiDocument,
    draining: () => draining,
    // No shared cache in one process; the reads' ETags, so a dashboard's poll of an
    // unchanged answer is a 304; requests for one read that arrive in one turn of the
    // event loop share its query (exact: src/http/edge-cache.ts).
    readCache: edgeCache({ ttlSeconds: 0, sha256, coalesce: setImmediate }),
  });
  // The docs page's and the dashboard's files, which on Workers are Static Assets.
  publicAssets(app, logger);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.PORT,
        hostname: config.HOST,
        serverOptions: {
          headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
          requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
          keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
          // How often Node enforces the two timeouts above (its default: every 30 s).
          connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
        },
      },
      () => resolve(s),
    );
    s.once("error", reject);
  });
  server.maxConnections = config.HTTP_MAX_CONNECTIONS;
  // With no 'timeout' listener, Node destroys a socket idle this long; an answer being
  // streamed then ends as a client gone (an export logs "cancelled by the client").
  server.setTimeout(config.HTTP_IDLE_TIMEOUT_MS);
  const { port } = server.address() as AddressInfo;
  const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
  logger.info("listening", {
    url: `http://${host}:${port}`,
    database: store.dialect,
    auth: open
      ? "open (no API_TOKENS or SCANNER_SIGNING_KEY; loopback only)"
      : `${config.API_TOKENS.length} tokens${config.SCANNER_SIGNING_KEY ? " and signed tokens" : ""}`,
  });

  // Node's close() stops accepting and closes idle keep-alive connections at once; busy
  // ones close after their answer, since draining makes every answer say Connection: close.
  const stopped = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    async close() {
      const done = stopped();
      (server as import("node:http").Server).closeAllConnections();
      await done;
      await store.close();
    },
    async drain() {
      draining = true;
      const done = stopped();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), config.SHUTDOWN_GRACE_MS);
      });
      if ((await Promise.race([done, grace])) === "timeout") {
        logger.warn("requests still in flight after the grace period; closing their connections", {
          grace_ms: config.SHUTDOWN_GRACE_MS,
        });
        (server as import("node:http").Server).closeAllConnections();
        await done;
      }
      clearTimeout(timer);
      // A database that stopped answering must not hold the exit for ever: what it had not
      // committed rolls back with its connection, and nothing acknowledged is lost.
      let closeTimer: ReturnType<typeof setTimeout> | undefined;
      const closing = new Promise<"timeout">((resolve) => {
        closeTimer = setTimeout(() => resolve("timeout"), config.SHUTDOWN_GRACE_MS);
      });
      if ((await Promise.race([store.close(), closing])) === "timeout") {
        logger.warn("the database did not close within the grace period; stopping anyway", {
          grace_ms: config.SHUTDOWN_GRACE_MS,
        });
      }
      clearTimeout(closeTimer);
    },
  };
}
