// The store, measured: every database operation timed, every record it stored or found
// already stored counted. It takes the metrics as a dependency (Prometheus on Node,
// Analytics Engine on Workers); the metrics know nothing of the store.
import type { Metrics } from "../observability/metrics.js";
import { syncOutcome } from "./device-sync.js";
import { mapMethods } from "./errors.js";
import type { BatchOutcome, Store, SyncOutcome } from "./types.js";

/** Operation and kind names as the metrics label them: eventStats -> event_stats. */
const label = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function instrumentStore(store: Store, metrics: Metrics): Store {
  const now = () => performance.now() / 1000;
  const ingested = (counts: SyncOutcome) => {
    for (const [kind, { stored, duplicates }] of Object.entries(counts)) {
      if (stored) metrics.recordsIngested(label(kind), "stored", stored);
      if (duplicates) metrics.recordsIngested(label(kind), "duplicate", duplicates);
    }
  };
  return mapMethods(store, (fn, name) => {
    // Not database operations: closing, and reading the store's own load (for /metrics).
    if (name === "close" || name === "pressure") return fn;
    const op = label(name);
    return async (...args: never[]) => {
      const start = now();
      let result: unknown;
      try {
        result = await fn(...args);
      } catch (err) {
        metrics.dbOperation(op, now() - start, false);
        throw err;
      }
      metrics.dbOperation(op, now() - start, true);
      if (name === "insert") ingested(syncOutcome(result as BatchOutcome));
      if (name === "sync") ingested(result as SyncOutcome);
      return result;
    };
  });
}
