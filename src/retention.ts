// Retention of raw records: those whose own time (scan, transfer or attempt time) is
// older than RETENTION_DAYS are deleted in bounded chunks, so no statement holds locks
// or runs long, once they also reached the server that long ago. A record uploaded late
// (an offline scanner's, a back-fill) is old by its own time the moment it arrives; purged
// then, a retry of its upload (a lost answer) would store its uuid anew and count it twice.
// analytics_stats is never reduced: the counts keep every record ever stored. Runs as the
// Workers cron job (src/worker/scheduled.ts) and as `npm run retention` on Node
// (src/cli/retention.ts).
import { StoreError } from "./store/errors.js";
import type { Store } from "./store/types.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  /** RETENTION_DAYS; undefined keeps everything. */
  days: number | undefined;
  now?: Date;
  /** Records of each kind per statement. */
  chunk?: number;
  /** Statements per run at most; the next run carries on (a Worker's run is bounded). */
  maxChunks?: number;
}

export interface RetentionResult {
  /** Records older than this were purged; null when retention is off. */
  cutoff: Date | null;
  deleted: number;
  chunks: number;
  /** False when maxChunks stopped the run before everything older was gone. */
  complete: boolean;
}

export function retentionCutoff(days: number, now: Date): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

export async function purgeExpired(store: Store, opts: RetentionOptions): Promise<RetentionResult> {
  if (opts.days === undefined) return { cutoff: null, deleted: 0, chunks: 0, complete: true };
  const cutoff = retentionCutoff(opts.days, opts.now ?? new Date());
  const before = { time: cutoff, received: cutoff };
  const chunk = opts.chunk ?? 1000;
  const maxChunks = opts.maxChunks ?? Number.POSITIVE_INFINITY;
  let deleted = 0;
  let chunks = 0;
  while (chunks < maxChunks) {
    let n: number;
    try {
      n = await store.purgeBefore(before, chunk);
    } catch (err) {
      // A Worker's request met its platform's query cap (D1: 50 on the free plan): what it
      // deleted stays deleted, and the next run carries on, as after maxChunks.
      if (chunks > 0 && err instanceof StoreError && err.failure === "too_big")
        return { cutoff, deleted, chunks, complete: false };
      throw err;
    }
    deleted += n;
    chunks++;
    // Fewer than one chunk in all means every kind came up short: nothing older is left.
    if (n < chunk) return { cutoff, deleted, chunks, complete: true };
  }
  return { cutoff, deleted, chunks, complete: false };
}
