// The SQLite writer thread: its own connection to the file, running the store's writes
// while the main thread parses and validates the next requests; the writes that queued
// up meanwhile share one commit. A message is { id, op, args }; the answer { id, result }
// or { id, error }.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { KindRows } from "../store.js";
import { openBetterSqlite } from "./connection.js";
import { WRITER_READY } from "./thread.js";
import { sqliteWriter } from "./writer.js";

export interface WriterRequest {
  id: number;
  op: "storeRows" | "atomic";
  args: unknown[];
}

/** What survives of an error across the thread boundary: enough to classify it (code). */
export interface WriterError {
  name: string;
  message: string;
  code?: string;
}

const port = parentPort;
if (!port) throw new Error("thread-entry runs as a worker thread");
const sqlite = openBetterSqlite((workerData as { path: string }).path);
const writer = sqliteWriter(sqlite);
port.postMessage(WRITER_READY);

// Checkpoints (copying the WAL into the database file) run after a write has been
// answered, while the main thread works on the next request, instead of inside whichever
// commit crosses SQLite's threshold. SQLite's own stays as a backstop for a writer that
// is never idle, at a bound the deferred ones normally keep it under. They follow the
// rows written (a checkpoint costs an fsync of its own): every 8,000 rows, or 128 writes
// of a few rows each (POST /scans under load: ~5% more requests/s than every 8 writes).
const CHECKPOINT_ROWS = 8000;
const CHECKPOINT_WRITES = 128;
sqlite.pragma("wal_autocheckpoint = 10000");
let writesSinceCheckpoint = 0;
let rowsSinceCheckpoint = 0;
const checkpointSoon = (rows: number) => {
  rowsSinceCheckpoint += rows;
  if (++writesSinceCheckpoint < CHECKPOINT_WRITES && rowsSinceCheckpoint < CHECKPOINT_ROWS) return;
  writesSinceCheckpoint = 0;
  rowsSinceCheckpoint = 0;
  setImmediate(() => sqlite.pragma("wal_checkpoint(PASSIVE)"));
};

/** Rows a call writes: a batch's rows, or a statement each. */
const rowsOf = (call: WriterRequest): number =>
  call.op === "storeRows"
    ? (call.args[0] as KindRows[]).reduce((n, k) => n + k.rows.length, 0)
    : (call.args[0] as unknown[]).length;

const asError = (err: unknown): WriterError => {
  const e = err as Error & { code?: string };
  return { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}) };
};
// Group commit: the calls that queued up while the last transaction ran are taken
// together, each in a savepoint of its own, under one commit (one WAL fsync, and the hot
// index pages written once instead of once per call). A drain of 100k scans measured ~7%
// faster. A few at most, so that no caller waits long behind the others.
const MAX_GROUP = 4;

port.on("message", (first: WriterRequest | "close") => {
  const calls: WriterRequest[] = [];
  let close = first === "close";
  if (first !== "close") calls.push(first);
  for (let m = !close && calls.length < MAX_GROUP ? receiveMessageOnPort(port) : undefined; m; ) {
    const msg = m.message as WriterRequest | "close";
    if (msg === "close") close = true;
    else calls.push(msg);
    m = !close && calls.length < MAX_GROUP ? receiveMessageOnPort(port) : undefined;
  }
  if (calls.length > 0) {
    try {
      const results = writer.together(
        calls.map((c) => () => (writer[c.op] as (...a: unknown[]) => unknown)(...c.args)),
      );
      results.forEach((r, i) => {
        const id = (calls[i] as WriterRequest).id;
        port.postMessage(r.ok ? { id, result: r.value } : { id, error: asError(r.error) });
      });
      checkpointSoon(calls.reduce((n, c) => n + rowsOf(c), 0));
    } catch (err) {
      // The commit failed: nothing of the group is stored.
      for (const c of calls) port.postMessage({ id: c.id, error: asError(err) });
    }
  }
  if (close) {
    sqlite.close();
    port.close();
  }
});
