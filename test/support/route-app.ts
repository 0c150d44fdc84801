// The fast tier's target: the app of src/app.ts as the Node server builds it, on an
// in-memory SQLite store, called with app.request() (no network, no process). Tokens and
// signing key are every target's (test/support/tokens.ts).
import { createAnalytics } from "../../src/analytics.js";
import { createApp, sharedServices } from "../../src/app.js";
import type { Role } from "../../src/auth/roles.js";
import { edgeCache } from "../../src/http/edge-cache.js";
import { type Logger, silentLogger } from "../../src/observability/logger.js";
import { type Metrics, noMetrics } from "../../src/observability/metrics.js";
import { instrumentStore } from "../../src/store/instrumented.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import type { Store } from "../../src/store/types.js";
import { type Api, requestInit } from "./api.js";
import type { RawCounts } from "./test-store.js";
import { SIGNING_KEY, TOKENS } from "./tokens.js";

export interface RouteApp extends Api {
  app: ReturnType<typeof createApp>;
  store: Store;
  close(): Promise<void>;
}

export interface RouteAppOptions {
  /** false: a database without the schema. */
  migrate?: boolean;
  /** Measured as on Node: the app's requests and the store's operations (instrumentStore). */
  metrics?: Metrics;
  /** The Node server's SIGTERM state. */
  draining?: () => boolean;
  /** Where the app logs (default: nowhere). */
  logger?: Logger;
}

const EVERY = 1000;

/** The raw counts of an event, from its listed records (an in-memory database has no second reader). */
async function countListed(store: Store, event_id: string): Promise<RawCounts> {
  const q = { event_id, limit: EVERY };
  const [scans, transfers, attempts] = await Promise.all([
    store.listScans(q),
    store.listTransfers(q),
    store.listInvalidAttempts(q),
  ]);
  // A full page may not be all: a count that could be short is no recomputation.
  if ([scans, transfers, attempts].some((l) => l.length >= EVERY))
    throw new Error(`countListed counts fewer than ${EVERY} records of a kind; ${event_id} has more`);
  return {
    scan_count: scans.length,
    transfer_count: transfers.length,
    invalid_attempt_count: attempts.length,
    valid_scan_count: scans.filter((s) => s.is_valid).length,
    invalid_scan_count: scans.filter((s) => !s.is_valid).length,
    successful_transfer_count: transfers.filter((t) => t.is_successful).length,
    failed_transfer_count: transfers.filter((t) => !t.is_successful).length,
  };
}

export async function routeApp(opts: RouteAppOptions = {}): Promise<RouteApp> {
  const raw = await betterSqliteStore({ path: ":memory:", migrate: opts.migrate });
  const store = opts.metrics ? instrumentStore(raw, opts.metrics) : raw;
  const tokens = Object.entries(TOKENS).map(([role, token]) => ({ role: role as Role, token }));
  const app = createApp({
    services: sharedServices(createAnalytics(store)),
    auth: { tokens, openFor: () => false, scannerKey: SIGNING_KEY },
    logger: opts.logger ?? silentLogger,
    metrics: opts.metrics ?? noMetrics,
    draining: opts.draining,
    // As on Node (src/node/start.ts): no cache, the reads' ETags, one query for reads that arrive together.
    readCache: edgeCache({ ttlSeconds: 0, coalesce: setImmediate }),
  });
  return {
    app,
    store,
    call: async (method, path, callOpts) => app.request(path, await requestInit(method, callOpts)),
    rawCounts: (e) => countListed(store, e),
    close: () => store.close(),
  };
}
