// Group commit, the one way concurrent writes share a commit: writes that arrive while
// others are committing wait for the next free slot and go together (one transaction:
// one fsync on SQLite, one round trip on Postgres) instead of one commit each. Each
// caller still gets its own answer, only once the transaction holding its work has
// committed, and one caller's failure is its own. Used by the Node stores, whose process
// outlives a request (./pg/node-pg.ts, ./sqlite/embedded/store.ts); a Worker's store lives
// for one request and has nothing to group.
import { KIND_NAMES } from "./columns.js";
import type { BatchOutcome, RecordBatch } from "./types.js";

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions<J, R> {
  /** Groups committing at once: one filling while one commits keeps the writer busy. */
  maxInFlight: number;
  /** Size of a group at most (records); a job bigger than this goes alone. */
  maxSize: number;
  sizeOf(job: J): number;
  /** Runs a group in one transaction and answers each job's outcome, in order. */
  run(jobs: J[]): Promise<Settled<R>[]>;
}

// setImmediate runs after the poll phase, so every request already readable joins in.
const defer: (fn: () => void) => void = globalThis.setImmediate ?? ((fn) => setTimeout(fn, 0));

interface Waiting<J, R> {
  job: J;
  resolve(value: R): void;
  reject(err: unknown): void;
}

/** A function that runs each job as part of a group; its load, for the store's `pressure`. */
export interface GroupCommit<J, R> {
  (job: J): Promise<R>;
  queued(): number;
  inFlight(): number;
}

export function groupCommit<J, R>(opts: GroupCommitOptions<J, R>): GroupCommit<J, R> {
  let queue: Waiting<J, R>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || inFlight >= opts.maxInFlight || queue.length === 0) return;
    scheduled = true;
    defer(flush);
  };

  const take = (): Waiting<J, R>[] => {
    let n = 0;
    let size = 0;
    for (const w of queue) {
      const s = opts.sizeOf(w.job);
      if (n > 0 && size + s > opts.maxSize) break;
      size += s;
      n++;
    }
    const group = queue.slice(0, n);
    queue = queue.slice(n);
    return group;
  };

  async function flush() {
    scheduled = false;
    const group = take();
    inFlight++;
    schedule();
    try {
      const outcomes = await opts.run(group.map((w) => w.job));
      group.forEach((w, i) => {
        const o = outcomes[i];
        if (o?.ok) w.resolve(o.value);
        else w.reject(o ? o.error : new Error("group commit lost track of a job"));
      });
    } catch (err) {
      // The commit itself failed: nothing of the group is stored.
      for (const w of group) w.reject(err);
    } finally {
      inFlight--;
      schedule();
    }
  }

  const run = (job: J) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ job, resolve, reject });
      schedule();
    });
  return Object.assign(run, { queued: () => queue.length, inFlight: () => inFlight });
}

/**
 * A group of batches as one insert (one statement per kind), its outcomes split back per
 * batch. If the insert fails, each batch runs on its own, so one caller's bad batch
 * fails only that caller; unless `failsAll` says the failure is the database's, not a
 * batch's (it does not answer): then every caller gets it at once.
 */
export function mergedInserts(
  insert: (batch: RecordBatch) => Promise<BatchOutcome>,
  failsAll: (err: unknown) => boolean = () => false,
) {
  const one = (batch: RecordBatch): Promise<Settled<BatchOutcome>> =>
    insert(batch).then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({ ok: false, error }),
    );
  return async (batches: RecordBatch[]): Promise<Settled<BatchOutcome>[]> => {
    if (batches.length === 1) return [await one(batches[0] as RecordBatch)];
    const merged: RecordBatch = { scans: [], transfers: [], invalidAttempts: [] };
    for (const b of batches) for (const k of KIND_NAMES) (merged[k] as unknown[]).push(...b[k]);
    let out: BatchOutcome;
    try {
      out = await insert(merged);
    } catch (error) {
      if (failsAll(error)) return batches.map(() => ({ ok: false, error }));
      const settled: Settled<BatchOutcome>[] = [];
      for (const b of batches) settled.push(await one(b));
      return settled;
    }
    const at = { scans: 0, transfers: 0, invalidAttempts: 0 };
    return batches.map((b) => {
      const part = {} as BatchOutcome;
      for (const k of KIND_NAMES) {
        part[k] = out[k].slice(at[k], at[k] + b[k].length);
        at[k] += b[k].length;
      }
      return { ok: true, value: part };
    });
  };
}

/** Records in a batch: the size group commit bounds. */
export const batchSize = (b: RecordBatch) => b.scans.length + b.transfers.length + b.invalidAttempts.length;
