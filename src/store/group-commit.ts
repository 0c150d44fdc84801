// Group commit: concurrent small inserts (one record per HTTP request) wait for the
// next free slot and share one transaction, so N requests cost one commit (one fsync on
// SQLite, one round trip on Postgres) instead of N. Each caller still gets its answer
// only after the transaction holding its records has committed.
import type { BatchOutcome, RecordBatch, Store } from "./types.js";

export interface GroupCommitOptions {
  /** Transactions in flight at once: 1 for SQLite (one writer), a few for Postgres. */
  maxInFlight: number;
  /** Records per shared transaction. */
  maxRecords?: number;
}

interface Pending {
  batch: RecordBatch;
  resolve: (out: BatchOutcome) => void;
  reject: (err: unknown) => void;
}

const size = (b: RecordBatch) => b.scans.length + b.transfers.length + b.invalidAttempts.length;

// setImmediate runs after the poll phase, so every request already readable joins in.
const defer: (fn: () => void) => void = globalThis.setImmediate ?? ((fn) => setTimeout(fn, 0));

export function withGroupCommit(store: Store, opts: GroupCommitOptions): Store {
  const maxRecords = opts.maxRecords ?? 1000;
  let queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || inFlight >= opts.maxInFlight || queue.length === 0) return;
    scheduled = true;
    defer(flush);
  };

  const take = (): Pending[] => {
    let n = 0;
    let records = 0;
    while (n < queue.length && (n === 0 || records + size((queue[n] as Pending).batch) <= maxRecords)) {
      records += size((queue[n] as Pending).batch);
      n++;
    }
    const taken = queue.slice(0, n);
    queue = queue.slice(n);
    return taken;
  };

  async function commit(group: Pending[]) {
    const merged: RecordBatch = { scans: [], transfers: [], invalidAttempts: [] };
    for (const p of group) {
      merged.scans.push(...p.batch.scans);
      merged.transfers.push(...p.batch.transfers);
      merged.invalidAttempts.push(...p.batch.invalidAttempts);
    }
    const out = await store.insert(merged);
    const at = { scans: 0, transfers: 0, invalidAttempts: 0 };
    for (const p of group) {
      const part = {} as BatchOutcome;
      for (const k of ["scans", "transfers", "invalidAttempts"] as const) {
        part[k] = out[k].slice(at[k], at[k] + p.batch[k].length) as never;
        at[k] += p.batch[k].length;
      }
      p.resolve(part);
    }
  }

  async function flush() {
    scheduled = false;
    const group = take();
    inFlight++;
    schedule();
    try {
      await commit(group);
    } catch (err) {
      // One caller's bad batch must not fail the others: retry each on its own.
      if (group.length === 1) group[0]?.reject(err);
      else for (const p of group) await commit([p]).catch(p.reject);
    } finally {
      inFlight--;
      schedule();
    }
  }

  return {
    ...store,
    insert(batch) {
      return new Promise((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        schedule();
      });
    },
  };
}
