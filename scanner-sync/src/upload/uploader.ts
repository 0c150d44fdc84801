// Drains the outbox to POST /sync, oldest first. While one batch is on its way the next
// ones are read and sent too (four requests in flight by default), and batches are
// confirmed strictly in order. Items stop being pending only with the server's 200 for them
// (Outbox.settle), so a kill at any instant loses nothing and re-sends only what the
// server will recognise as duplicates.
import type { ScanBuffer } from "../buffer/scan-buffer.js";
import { DEFAULT_RETENTION, type PendingItem, type Retention } from "../buffer/types.js";
import { APP_VERSION, USER_AGENT } from "../version.js";
import { SYNC_LIMITS } from "../wire.js";
import { type BackoffPolicy, DEFAULT_BACKOFF, sleep as realSleep, retryDelay } from "./backoff.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_BYTES, fitBatch, syncBody } from "./batch.js";
import { type PostOutcome, postSync } from "./client.js";
import { DEFAULT_MAX_IN_FLIGHT } from "./defaults.js";
import { SyncFatal, SyncUnavailable } from "./errors.js";
import { matchRejections } from "./rejections.js";
import { serverBase } from "./server-url.js";

const kept = (n: number) => `${n} record${n === 1 ? "" : "s"} kept`;

export { DEFAULT_MAX_IN_FLIGHT };

export type UploadEvent =
  | { type: "start"; pending: number }
  | { type: "batch"; items: number; accepted: number; duplicates: number; rejected: number; pending: number }
  | { type: "retry"; attempt: number; delayMs: number; reason: string };

export interface UploaderOptions {
  buffer: ScanBuffer;
  /** The server's base URL (…/sync is added unless it is there). */
  url: string;
  token?: string | undefined;
  /** Items per request: default 500, never over the server's 1000. */
  batchSize?: number;
  /** Requests in flight at once: the next batches are sent while the oldest is answered. Default 4. */
  maxInFlight?: number;
  maxBatchBytes?: number;
  /** Failed attempts of one batch before drain() gives up (SyncUnavailable). Default 5. */
  maxRetries?: number;
  backoff?: Partial<BackoffPolicy>;
  requestTimeoutMs?: number;
  retention?: Retention;
  onEvent?: (event: UploadEvent) => void;
  // Injected for tests: the real ones otherwise.
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => Date;
  random?: () => number;
}

export interface DrainResult {
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  batches: number;
  /** Still in the outbox when the run ended. */
  pending: number;
}

/** A batch sent and not settled yet: consecutive outbox items, and its current request. */
interface InFlight {
  items: PendingItem[];
  /** Transient failures so far (429, 5xx, network). */
  failures: number;
  /** It failed (now or before, a 413 too): nothing new is sent until it is settled. */
  troubled: boolean;
  answer: Promise<PostOutcome>;
  /** Drops the request (its answer is then never used). */
  drop: AbortController;
}

/** Where batches go: POST /sync at the server's base URL. */
export function syncEndpoint(url: string): string {
  return `${serverBase(url)}/sync`;
}

export class Uploader {
  readonly endpoint: string;
  private readonly o: Required<Omit<UploaderOptions, "token" | "onEvent" | "backoff">> & UploaderOptions;
  private readonly backoff: BackoffPolicy;
  private batchSize: number;
  private readonly maxInFlight: number;

  constructor(options: UploaderOptions) {
    this.endpoint = syncEndpoint(options.url);
    this.o = {
      batchSize: DEFAULT_BATCH_SIZE,
      maxBatchBytes: DEFAULT_MAX_BATCH_BYTES,
      maxInFlight: DEFAULT_MAX_IN_FLIGHT,
      maxRetries: 5,
      requestTimeoutMs: 30_000,
      retention: DEFAULT_RETENTION,
      sleep: realSleep,
      now: () => new Date(),
      random: Math.random,
      // An option passed as undefined means "the default", not "none".
      ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as UploaderOptions),
    };
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.batchSize = Math.max(1, Math.min(SYNC_LIMITS.items, Math.floor(this.o.batchSize)));
    this.maxInFlight = Math.max(1, Math.floor(this.o.maxInFlight));
  }

  /**
   * Sends everything pending, then returns. Throws SyncFatal or SyncUnavailable; nothing is lost either way.
   *
   * Up to `maxInFlight` batches are on their way at once, each starting after the last item
   * of the one before, and they are settled in order: an answered batch waits for the ones
   * before it. Once any of them fails (429, 5xx, network, 413), nothing new is sent until it
   * is settled; the oldest is sent again after the backoff, and a later one's 200 that came
   * meanwhile is settled after it. A run that ends (give up, fatal, abort) drops the
   * requests still in flight and settles nothing of theirs: their items stay pending and a
   * later run sends them again, which the server counts as duplicates.
   */
  async drain(opts: { signal?: AbortSignal; maxRetries?: number } = {}): Promise<DrainResult> {
    const { outbox } = this.o.buffer;
    const maxRetries = opts.maxRetries ?? this.o.maxRetries;
    const total: DrainResult = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, batches: 0, pending: 0 };
    this.o.onEvent?.({ type: "start", pending: outbox.backlog().pending });
    const run = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, run.signal]) : run.signal;
    /** Oldest first; the first one is the only one that can be settled. */
    const queue: InFlight[] = [];
    /** The last seq in a batch of `queue`: the next batch starts after it. */
    let cursor = 0;
    try {
      while (!opts.signal?.aborted) {
        while (queue.length < this.maxInFlight && !queue.some((b) => b.troubled)) {
          const items = fitBatch(outbox.pending(this.batchSize, cursor), this.o.maxBatchBytes);
          const last = items.at(-1);
          if (!last) break;
          queue.push(this.post(items, 0, false, signal));
          cursor = last.seq;
        }
        const head = queue[0];
        if (!head) break;
        const out = await head.answer;
        if (out.type === "aborted") break;
        if (out.type === "ok") {
          const done = this.settle(head.items, out);
          queue.shift();
          total.sent += done.items;
          total.accepted += done.accepted;
          total.duplicates += done.duplicates;
          total.rejected += done.rejected;
          total.batches++;
          this.o.onEvent?.({ type: "batch", ...done, pending: outbox.backlog().pending });
          continue;
        }
        if (out.type === "fatal") this.fail(out.reason, out.status);
        if (out.type === "too_large") {
          if (head.items.length === 1)
            this.fail(`${out.reason}: even one record is too large; check the proxy's body limit`, 413);
          // Smaller batches for the rest of the run: the limit is somewhere in between. The
          // batches behind were cut at the old size after the whole of this one: dropped,
          // to be read again after the half that is sent now.
          const half = head.items.slice(0, Math.ceil(head.items.length / 2));
          this.batchSize = half.length;
          for (const dropped of queue.splice(0)) dropped.drop.abort();
          queue.push(this.post(half, head.failures, true, signal));
          cursor = (half.at(-1) as PendingItem).seq;
          continue;
        }
        outbox.noteError(out.reason);
        head.failures++;
        if (head.failures > maxRetries) {
          throw new SyncUnavailable(
            `${out.reason}; gave up after ${head.failures} attempt${head.failures === 1 ? "" : "s"}; ${kept(outbox.backlog().pending)} for the next sync`,
          );
        }
        const delayMs = retryDelay(head.failures, out.retryAfterMs, this.backoff, this.o.random);
        this.o.onEvent?.({ type: "retry", attempt: head.failures, delayMs, reason: out.reason });
        await this.o.sleep(delayMs, opts.signal);
        if (opts.signal?.aborted) break;
        queue[0] = this.post(head.items, head.failures, true, signal);
      }
    } finally {
      run.abort();
    }
    if (total.batches > 0) outbox.purge(this.o.retention);
    total.pending = outbox.backlog().pending;
    return total;
  }

  /** Keeps draining as records arrive and the network comes and goes, until the signal aborts. */
  async watch(opts: { signal: AbortSignal; pollMs?: number }): Promise<DrainResult> {
    const total: DrainResult = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, batches: 0, pending: 0 };
    while (!opts.signal.aborted) {
      const r = await this.drain({ signal: opts.signal, maxRetries: Number.POSITIVE_INFINITY });
      for (const k of ["sent", "accepted", "duplicates", "rejected", "batches"] as const) total[k] += r[k];
      total.pending = r.pending;
      await this.o.sleep(opts.pollMs ?? 2000, opts.signal);
    }
    return total;
  }

  /** Sends one batch; its answer is awaited (or dropped) by drain(). */
  private post(items: PendingItem[], failures: number, troubled: boolean, signal: AbortSignal): InFlight {
    const { buffer } = this.o;
    const { body } = syncBody(items, {
      scanner_id: buffer.scannerId,
      sent_at: this.o.now().toISOString(),
      // The backlog the device keeps once this batch (and those before it) are in: what
      // the server's device view shows.
      device: { ...buffer.outbox.backlog((items.at(-1) as PendingItem).seq), app_version: APP_VERSION },
    });
    const drop = new AbortController();
    const answer = postSync({
      endpoint: this.endpoint,
      token: this.o.token,
      body,
      timeoutMs: this.o.requestTimeoutMs,
      signal: AbortSignal.any([signal, drop.signal]),
      now: this.o.now,
      userAgent: USER_AGENT,
    });
    const batch: InFlight = { items, failures, troubled, answer, drop };
    answer.then(
      (out) => {
        if (out.type !== "ok") batch.troubled = true;
      },
      // A dropped request's answer is never awaited: it must not surface as an unhandled rejection.
      () => {},
    );
    return batch;
  }

  /** The server's 200 for `sent`: confirmed and dead-lettered items stop being pending, in one transaction. */
  private settle(sent: PendingItem[], out: Extract<PostOutcome, { type: "ok" }>) {
    const { rejected, problem } = matchRejections(sent, out.response);
    if (problem)
      this.fail(`the server's answer does not match the batch: ${problem}; nothing was marked done`);
    this.o.buffer.outbox.settle(sent, rejected, out.requestId);
    const { accepted, duplicates } = out.response;
    return { items: sent.length, accepted, duplicates, rejected: rejected.length };
  }

  private fail(reason: string, status?: number): never {
    this.o.buffer.outbox.noteError(reason);
    throw new SyncFatal(reason, status);
  }
}
