// When to try again. Exponential backoff with full jitter (a random wait between zero and
// the exponential bound), so a venue's worth of scanners coming back online at once do
// not hit the server in lockstep; a server's Retry-After is a floor, never shortened.
export interface BackoffPolicy {
  /** Bound of the first retry's wait; it doubles with each failed attempt. */
  baseMs: number;
  /** No jittered wait is longer than this. */
  capMs: number;
  /** A Retry-After beyond this is taken as this (a wrong clock or a bogus date). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000, maxRetryAfterMs: 300_000 };

/** Full jitter for the n-th consecutive failure (1-based). */
export function jitteredDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const bound = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * bound);
}

/** The wait before the next attempt: the jittered delay, but never less than Retry-After. */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | null,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const jittered = jitteredDelay(attempt, policy, random);
  if (retryAfterMs === null) return jittered;
  return Math.min(policy.maxRetryAfterMs, Math.max(retryAfterMs, jittered));
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: Date): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** A sleep that ends early (without throwing) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
