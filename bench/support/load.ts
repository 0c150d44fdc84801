// Throughput under concurrent clients: autocannon in the bench process against servers in
// child processes. Requests/s counts 2xx answers only, over the measured window.
import autocannon from "autocannon";
import { authHeaders } from "./auth.js";

export interface LoadOptions {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** The JSON body of the n-th request. */
  body: (n: number) => string;
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
}

// One count for the whole run: each request's body is new (a distinct ticket) across the
// warm-up and every round, not the same few thousand tickets again in each.
let n = 0;

async function fire(url: string, opts: LoadOptions, seconds: number): Promise<LoadResult> {
  const r = await autocannon({
    url,
    connections: opts.connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders("POST") },
    requests: [{ setupRequest: (req) => ({ ...req, body: opts.body(n++) }) }],
  });
  if (r.non2xx > 0 || r.errors > 0) {
    throw new Error(`${url}: ${r.non2xx} non-2xx answers and ${r.errors} errors under load`);
  }
  return {
    requestsPerSecond: r["2xx"] / r.duration,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    requests: r["2xx"],
  };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export interface Comparison {
  reference: LoadResult[];
  target: LoadResult[];
  /** target / reference of each round. */
  ratios: number[];
}

/**
 * Warms both servers up, then measures `rounds` pairs back to back (reference first in
 * even rounds, target first in odd ones), so a neighbour's load on a shared machine
 * weighs on both sides of each ratio.
 */
export async function compareThroughput(
  referenceUrl: string,
  targetUrl: string,
  opts: LoadOptions & { rounds: number },
): Promise<Comparison> {
  if (opts.warmupSeconds > 0) {
    await fire(referenceUrl, opts, opts.warmupSeconds);
    await fire(targetUrl, opts, opts.warmupSeconds);
  }
  const out: Comparison = { reference: [], target: [], ratios: [] };
  for (let round = 0; round < opts.rounds; round++) {
    let ref: LoadResult;
    let got: LoadResult;
    if (round % 2 === 0) {
      ref = await fire(referenceUrl, opts, opts.seconds);
      got = await fire(targetUrl, opts, opts.seconds);
    } else {
      got = await fire(targetUrl, opts, opts.seconds);
      ref = await fire(referenceUrl, opts, opts.seconds);
    }
    out.reference.push(ref);
    out.target.push(got);
    out.ratios.push(got.requestsPerSecond / ref.requestsPerSecond);
  }
  return out;
}
