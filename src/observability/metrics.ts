// What the service measures; each runtime supplies a sink (prom-client on Node, Workers
// Analytics Engine on Workers). The app and the store wrapper only see this interface.
import { syncOutcome } from "../store/device-sync.js";
import type { Store, SyncOutcome } from "../store/types.js";

export type IngestOutcome = "stored" | "duplicate" | "rejected";

export interface Metrics {
  dbOperation(operation: string, seconds: number, ok: boolean): void;
  recordsIngested(kind: string, outcome: IngestOutcome, count: number): void;
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** Prometheus text exposition, where the runtime can be scraped. */
  render?(): Promise<{ contentType: string; body: string }>;
}

export const noMetrics: Metrics = {
  dbOperation() {},
  recordsIngested() {},
  httpRequest() {},
};

const now = () => performance.now() / 1000;

/** Times every database operation of a store and counts the records it stored. */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const timed =
    <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = now();
      try {
        const r = await fn(...args);
        metrics.dbOperation(op, now() - start, true);
        return r;
      } catch (err) {
        metrics.dbOperation(op, now() - start, false);
        throw err;
      }
    };
  const ingested = <T extends SyncOutcome>(counts: T) => {
    for (const [kind, { stored, duplicates }] of Object.entries(counts)) {
      if (stored) metrics.recordsIngested(kind, "stored", stored);
      if (duplicates) metrics.recordsIngested(kind, "duplicate", duplicates);
    }
    return counts;
  };
  const insert = timed("insert", store.insert);
  const sync = timed("sync", store.sync);
  return {
    dialect: store.dialect,
    async insert(batch) {
      const out = await insert(batch);
      ingested(syncOutcome(out));
      return out;
    },
    sync: async (batch, device) => ingested(await sync(batch, device)),
    eventStats: timed("event_stats", store.eventStats),
    allStats: timed("all_stats", store.allStats),
    listScans: timed("list_scans", store.listScans),
    listTransfers: timed("list_transfers", store.listTransfers),
    listInvalidAttempts: timed("list_invalid_attempts", store.listInvalidAttempts),
    deviceHealth: timed("device_health", store.deviceHealth),
    purgeBefore: timed("purge_before", store.purgeBefore),
    ping: timed("ping", store.ping),
    close: store.close,
  };
}
