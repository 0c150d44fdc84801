// The SQLite writer thread: its own connection to the file, running the store's writes
// while the main thread parses and validates the next requests. Each message is a group
// of calls formed by the main thread's group commit (./store.ts); the messages waiting
// when a commit starts run under it together (up to COMMIT_ROWS rows); each message's
// answer is each of its calls' outcome, or the commit's error.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { Settled } from "../../group-commit.js";
import { openBetterSqlite } from "./connection.js";
import { WRITER_READY, type WriterError } from "./thread.js";
import { rowsOf, sqliteWriter, type WriterCall } from "./writer.js";

export interface WriterRequest {
  id: number;
  calls: WriterCall[];
}

/** Outcomes cross the thread boundary as plain data: errors as enough to classify them. */
export type WriterOutcome = { ok: true; value: unknown } | { ok: false; error: WriterError };

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

const asError = (err: unknown): WriterError => {
  const e = err as Error & { code?: string };
  return { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}) };
};

/** Runs the calls of every message in one transaction (one commit) and answers each message. */
const runTogether = (msgs: WriterRequest[]) => {
  const calls = msgs.length === 1 ? (msgs[0] as WriterRequest).calls : msgs.flatMap((m) => m.calls);
  try {
    const results = writer
      .together(calls)
      .map((r: Settled<unknown>): WriterOutcome => (r.ok ? r : { ok: false, error: asError(r.error) }));
    let at = 0;
    for (const m of msgs) {
      port.postMessage({ id: m.id, results: results.slice(at, at + m.calls.length) });
      at += m.calls.length;
    }
    checkpointSoon(calls.reduce((n, c) => n + rowsOf(c), 0));
  } catch (err) {
    // The commit failed: nothing of these groups is stored.
    for (const m of msgs) port.postMessage({ id: m.id, error: asError(err) });
  }
};

const close = () => {
  sqlite.close();
  port.close();
};

/** Rows one commit takes from the waiting groups at most (the first group whatever its size). */
const COMMIT_ROWS = 4000;
const rowsOfRequest = (m: WriterRequest) => m.calls.reduce((n, c) => n + rowsOf(c), 0);
/** Groups received and not yet run, oldest first; then "close" if it came. */
let waiting: WriterRequest[] = [];
let closing = false;
let pumping = false;

// Groups that arrived while the last commit ran are waiting in the port: taken now, they
// share this commit (one fsync) instead of one commit each, up to COMMIT_ROWS, so that
// concurrent drains do not make one commit long enough to hold every caller back. The
// main thread keeps several groups in flight for this (./store.ts).
const take = () => {
  for (;;) {
    const more = receiveMessageOnPort(port)?.message as WriterRequest | "close" | undefined;
    if (more === undefined) return;
    if (more === "close") closing = true;
    else waiting.push(more);
  }
};
const pump = () => {
  pumping = false;
  take();
  if (waiting.length > 0) {
    let n = 0;
    let rows = 0;
    for (const m of waiting) {
      const r = rowsOfRequest(m);
      if (n > 0 && rows + r > COMMIT_ROWS) break;
      rows += r;
      n++;
    }
    const group = waiting.slice(0, n);
    waiting = waiting.slice(n);
    runTogether(group);
  }
  if (waiting.length > 0) {
    pumping = true;
    setImmediate(pump);
  } else if (closing) close();
};

port.on("message", (msg: WriterRequest | "close") => {
  if (msg === "close") closing = true;
  else waiting.push(msg);
  if (!pumping) pump();
});
