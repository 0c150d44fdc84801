// Sequential request latency through real HTTP (keep-alive fetch). Targets are requested
// in turn, round-robin, so drift on a shared machine hits each of them alike.
import { performance } from "node:perf_hooks";
import { authFetch } from "./auth.js";

export interface LatencyStats {
  p50: number;
  p99: number;
  mean: number;
  samples: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export function summarise(ms: number[]): LatencyStats {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    samples: sorted.length,
  };
}

/** A URL read with the reader's API token, or with a token of its own. */
export type Target = string | { url: string; token: string };

async function timedGet(target: Target): Promise<number> {
  const url = typeof target === "string" ? target : target.url;
  const init = typeof target === "string" ? {} : { headers: { Authorization: `Bearer ${target.token}` } };
  const start = performance.now();
  const res = await authFetch(url, init);
  await res.arrayBuffer();
  const ms = performance.now() - start;
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return ms;
}

/**
 * `warmup` untimed rounds, then `samples` timed rounds, and more until `minMs` has passed
 * since the first; one request per target per round.
 */
export async function sequentialLatency<K extends string>(
  targets: Record<K, Target>,
  opts: { warmup: number; samples: number; minMs?: number },
): Promise<Record<K, LatencyStats>> {
  const keys = Object.keys(targets) as K[];
  for (let i = 0; i < opts.warmup; i++) for (const k of keys) await timedGet(targets[k]);
  const times = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as unknown as Record<K, number[]>;
  const until = performance.now() + (opts.minMs ?? 0);
  for (let i = 0; i < opts.samples || performance.now() < until; i++) {
    // Alternate the order each round, so neither target always runs right after the other.
    const order = i % 2 === 0 ? keys : [...keys].reverse();
    for (const k of order) times[k].push(await timedGet(targets[k]));
  }
  return Object.fromEntries(keys.map((k) => [k, summarise(times[k])])) as Record<K, LatencyStats>;
}

/** GETs `url` and parses its JSON (checks on the seeded data). */
export async function getJson<T>(url: string): Promise<T> {
  const res = await authFetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
