// The main thread's side of the SQLite writer thread: groups of the writer's calls
// (./writer.ts) as promises. Writes then run beside the main thread's parsing and
// validation instead of between them; reads stay on the main thread's connection (WAL
// lets them run beside the writer). If the thread dies, its open transaction rolls back
// and every call waiting on it fails, so a client hears an error for anything not
// committed.
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Settled } from "../../group-commit.js";
import { WRITER_DOWN } from "../errors.js";
import type { WriterOutcome, WriterRequest } from "./thread-entry.js";
import type { WriterCall } from "./writer.js";

export interface WriterThread {
  /** Settles once the first thread has opened the file: a server listens only after it. */
  ready: Promise<void>;
  /** Runs the calls under one commit (SqliteWriter.together); rejects if the commit fails. */
  together(calls: WriterCall[]): Promise<Settled<unknown>[]>;
  close(): Promise<void>;
}

/** What survives of an error across the thread boundary: enough to classify it (code). */
export interface WriterError {
  name: string;
  message: string;
  code?: string;
}

class WriterFailed extends Error {
  readonly code: string | undefined;
  constructor(e: WriterError) {
    super(e.message);
    this.name = e.name;
    this.code = e.code;
  }
}

// The entry file as this one is written: .ts under tsx (from source), .js once compiled.
const ENTRY = new URL(`./thread-entry${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * Run from TypeScript sources (tsx, test runners), the thread registers tsx's loader
 * itself before importing its entry: loader flags and hooks of the main thread do not
 * reach worker threads on every Node version.
 */
function spawn(path: string): Worker {
  const workerData = { path };
  if (!ENTRY.pathname.endsWith(".ts")) return new Worker(ENTRY, { workerData });
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(ENTRY.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

type Waiting = Map<number, { resolve: (v: never) => void; reject: (e: unknown) => void }>;

/** The thread's first message, once its connection is open. */
export const WRITER_READY = "ready";

type FromThread = typeof WRITER_READY | { id: number; results?: WriterOutcome[]; error?: WriterError };

export interface WriterThreadOptions {
  /** Called with each thread started (the first, and any replacement): for tests and diagnostics. */
  onStart?: (worker: Worker) => void;
}

export function startWriterThread(path: string, opts: WriterThreadOptions = {}): WriterThread {
  let next = 0;
  let closing = false;
  let current: { worker: Worker; waiting: Waiting; ready: Promise<void> } | null = null;

  // A thread that dies (it should not) fails the calls it held and is replaced on the
  // next call, rather than leaving a server that can no longer write.
  const start = () => {
    const worker = spawn(path);
    opts.onStart?.(worker);
    const waiting: Waiting = new Map();
    let opened: () => void = () => {};
    let failed: (err: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      opened = resolve;
      failed = reject;
    });
    // A replacement thread's readiness is never awaited: calls queue behind its start.
    ready.catch(() => {});
    const me = { worker, waiting, ready };
    const fail = (err: Error) => {
      failed(err);
      if (current === me) current = null;
      const down = Object.assign(new Error(`the SQLite writer thread stopped: ${err.message}`), {
        code: WRITER_DOWN,
        cause: err,
      });
      for (const w of waiting.values()) w.reject(down);
      waiting.clear();
    };
    worker.on("message", (msg: FromThread) => {
      if (msg === WRITER_READY) {
        if (waiting.size === 0) worker.unref();
        return opened();
      }
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      // The thread keeps the process alive only while a call waits on it (a CLI awaiting
      // a write must not exit under it; an idle store must not hold the process open).
      if (waiting.size === 0) worker.unref();
      if (msg.error) return w?.reject(new WriterFailed(msg.error));
      const results = (msg.results ?? []).map((r) =>
        r.ok ? r : { ok: false, error: new WriterFailed(r.error) },
      );
      w?.resolve(results as never);
    });
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exited with code ${code}`)));
    // Held until it is ready: whoever awaits that must not see the process exit under it.
    return me;
  };

  const together = (calls: WriterCall[]) =>
    new Promise<Settled<unknown>[]>((resolve, reject) => {
      if (closing) return reject(new Error("the store is closed"));
      current ??= start();
      const id = next++;
      current.waiting.set(id, { resolve: resolve as (v: never) => void, reject });
      current.worker.ref();
      current.worker.postMessage({ id, calls } satisfies WriterRequest);
    });

  current = start();
  return {
    ready: current.ready,
    together,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        const worker = current?.worker;
        if (!worker) return resolve();
        worker.once("exit", () => resolve());
        worker.ref();
        worker.postMessage("close");
      }),
  };
}
