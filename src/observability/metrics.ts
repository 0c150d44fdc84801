// What the service measures; each runtime supplies a sink (prom-client on Node, Workers
// Analytics Engine on Workers). The app and the store wrapper only see this interface.
import type { BatchOutcome, InsertOutcome, Store } from "../store/types.js";

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
  const ingested = (out: BatchOutcome) => {
    for (const [kind, outcomes] of Object.entries(out) as [string, InsertOutcome[]][]) {
      const dup = outcomes.filter((o) => o.duplicate).length;
      if (outcomes.length - dup) metrics.recordsIngested(kind, "stored", outcomes.length - dup);
      if (dup) metrics.recordsIngested(kind, "duplicate", dup);
    }
    return out;
  };
  const insert = timed("insert", store.insert);
  const sync = timed("sync", store.sync);
  return {
    dialect: store.dialect,
    insert: async (batch) => ingested(await insert(batch)),
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
