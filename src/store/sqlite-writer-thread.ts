// The SQLite writer thread: its own connection to the file, running the store's writes
// one message at a time while the main thread parses and validates the next requests.
// A message is { id, op, arg }; the answer { id, result } or { id, error }.
import { parentPort, workerData } from "node:worker_threads";
import { openBetterSqlite } from "./sqlite-connection.js";
import { sqliteWriter } from "./sqlite-writer.js";
import { WRITER_READY } from "./writer-thread.js";

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
if (!port) throw new Error("sqlite-writer-thread runs as a worker thread");
const sqlite = openBetterSqlite((workerData as { path: string }).path);
const writer = sqliteWriter(sqlite);
port.postMessage(WRITER_READY);

// Checkpoints (copying the WAL into the database file) run after a write has been
// answered, while the main thread works on the next request, instead of inside whichever
// commit crosses SQLite's threshold. SQLite's own stays as a backstop for a writer that
// is never idle, at a bound the deferred ones normally keep it under.
const CHECKPOINT_EVERY = 8;
sqlite.pragma("wal_autocheckpoint = 10000");
let writesSinceCheckpoint = 0;
const checkpointSoon = () => {
  if (++writesSinceCheckpoint < CHECKPOINT_EVERY) return;
  writesSinceCheckpoint = 0;
  setImmediate(() => sqlite.pragma("wal_checkpoint(PASSIVE)"));
};

port.on("message", (msg: WriterRequest | "close") => {
  if (msg === "close") {
    sqlite.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ id: msg.id, result: (writer[msg.op] as (...a: unknown[]) => unknown)(...msg.args) });
    checkpointSoon();
  } catch (err) {
    const e = err as Error & { code?: string };
    const error: WriterError = { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}) };
    port.postMessage({ id: msg.id, error });
  }
});
