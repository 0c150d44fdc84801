// Drains the outbox to POST /sync, oldest first, one batch at a time. Items leave the
// outbox only with the server's 200 (Outbox.settle), so a kill at any instant loses
// nothing and re-sends only what the server will recognise as duplicates.
import type { ScanBuffer } from "../buffer/scan-buffer.js";
import { DEFAULT_RETENTION, type PendingItem, type Retention } from "../buffer/types.js";
import { APP_VERSION, USER_AGENT } from "../version.js";
import { SYNC_LIMITS } from "../wire.js";
import { type BackoffPolicy, DEFAULT_BACKOFF, sleep as realSleep, retryDelay } from "./backoff.js";
import { buildSyncBody, DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_BYTES } from "./batch.js";
import { postSync } from "./client.js";
import { SyncFatal, SyncUnavailable } from "./errors.js";
import { matchRejections } from "./rejections.js";

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
  maxBatchBytes?: number;
  /** Failed attempts of one batch before drain() gives up (SyncUnavailable). Default 5. */
  maxRetries?: number;
  backoff?: Partial<BackoffPolicy>;
  requestTimeoutMs?: number;
  retention?: Retention;
  onEvent?: (event: UploadEvent) => void;
  // Injected for tests: the real ones otherwise.
  fetch?: typeof fetch;
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

export function syncEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SyncFatal(`not a URL: ${JSON.stringify(url)} (expected e.g. http://10.0.0.5:8787)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new SyncFatal(`the sync URL must be http:// or https://, not ${parsed.protocol}`);
  }
  const base = parsed.toString().replace(/\/+$/, "");
  return base.endsWith("/sync") ? base : `${base}/sync`;
}

export class Uploader {
  readonly endpoint: string;
  private readonly o: Required<Omit<UploaderOptions, "token" | "onEvent" | "backoff">> & UploaderOptions;
  private readonly backoff: BackoffPolicy;
  private batchSize: number;

  constructor(options: UploaderOptions) {
    this.endpoint = syncEndpoint(options.url);
    this.o = {
      batchSize: DEFAULT_BATCH_SIZE,
      maxBatchBytes: DEFAULT_MAX_BATCH_BYTES,
      maxRetries: 5,
      requestTimeoutMs: 30_000,
      retention: DEFAULT_RETENTION,
      fetch: globalThis.fetch,
      sleep: realSleep,
      now: () => new Date(),
      random: Math.random,
      // An option passed as undefined means "the default", not "none".
      ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as UploaderOptions),
    };
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.batchSize = Math.max(1, Math.min(SYNC_LIMITS.items, Math.floor(this.o.batchSize)));
  }

  /** Sends everything pending, then returns. Throws SyncFatal or SyncUnavailable; nothing is lost either way. */
  async drain(opts: { signal?: AbortSignal; maxRetries?: number } = {}): Promise<DrainResult> {
    const { outbox } = this.o.buffer;
    const total: DrainResult = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, batches: 0, pending: 0 };
    this.o.onEvent?.({ type: "start", pending: outbox.backlog().pending });
    while (!opts.signal?.aborted) {
      const offered = outbox.pending(this.batchSize);
      if (offered.length === 0) break;
      const done = await this.send(offered, opts.signal, opts.maxRetries ?? this.o.maxRetries);
      if (!done) break;
      total.sent += done.items;
      total.accepted += done.accepted;
      total.duplicates += done.duplicates;
      total.rejected += done.rejected;
      total.batches++;
      this.o.onEvent?.({ type: "batch", ...done, pending: outbox.backlog().pending });
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

  /** One batch through to the server's 200, retrying what may pass later; null when aborted. */
  private async send(offered: PendingItem[], signal: AbortSignal | undefined, maxRetries: number) {
    const { buffer } = this.o;
    let items = offered;
    for (let attempt = 1; ; ) {
      const sentAt = this.o.now().toISOString();
      const { body, items: sent } = buildSyncBody(
        items,
        // The backlog the device keeps once this batch is in: what the server's device view shows.
        (inFlight) => ({
          scanner_id: buffer.scannerId,
          sent_at: sentAt,
          device: { ...buffer.outbox.backlog(inFlight.at(-1)?.seq), app_version: APP_VERSION },
        }),
        this.o.maxBatchBytes,
      );
      const out = await postSync({
        endpoint: this.endpoint,
        token: this.o.token,
        body,
        timeoutMs: this.o.requestTimeoutMs,
        signal,
        fetch: this.o.fetch,
        now: this.o.now,
        userAgent: USER_AGENT,
      });
      if (out.type === "aborted") return null;
      if (out.type === "ok") {
        const { rejected, problem } = matchRejections(sent, out.response);
        if (problem)
          this.fail(`the server's answer does not match the batch: ${problem}; nothing was marked done`);
        buffer.outbox.settle(sent, rejected, out.requestId);
        const { accepted, duplicates } = out.response;
        return { items: sent.length, accepted, duplicates, rejected: rejected.length };
      }
      if (out.type === "fatal") this.fail(out.reason, out.status);
      if (out.type === "too_large") {
        if (sent.length === 1)
          this.fail(`${out.reason}: even one record is too large; check the proxy's body limit`, 413);
        // Smaller batches for the rest of the run: the limit is somewhere in between.
        items = sent.slice(0, Math.ceil(sent.length / 2));
        this.batchSize = items.length;
        continue;
      }
      buffer.outbox.noteError(out.reason);
      if (attempt > maxRetries) {
        throw new SyncUnavailable(
          `${out.reason}; gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}; ${buffer.outbox.backlog().pending} records kept for the next sync`,
        );
      }
      const delayMs = retryDelay(attempt, out.retryAfterMs, this.backoff, this.o.random);
      this.o.onEvent?.({ type: "retry", attempt, delayMs, reason: out.reason });
      await this.o.sleep(delayMs, signal);
      if (signal?.aborted) return null;
      attempt++;
    }
  }

  private fail(reason: string, status?: number): never {
    this.o.buffer.outbox.noteError(reason);
    throw new SyncFatal(reason, status);
  }
}
