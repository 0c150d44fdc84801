// Figure 1: single-record POST /scans under 32 concurrent clients, on SQLite and on
// Postgres, as a ratio of a bare Hono route served the same way. Reference and target are
// measured in alternating rounds; the figure is the median of the rounds' ratios.

import { authFetch } from "./support/auth.js";
import type { Backend } from "./support/backends.js";
import { withServer } from "./support/backends.js";
import type { ChildServer } from "./support/child-server.js";
import { getJson } from "./support/latency.js";
import { compareThroughput, median } from "./support/load.js";
import { note } from "./support/progress.js";
import { atLeast, fmt, type ResultRow, rps } from "./support/results.js";

export const INGEST_EVENT = "bench-ingest";
/** POST /scans against the bare route: issue 15's targets, here and in the cpu section (./cpu.ts). */
export const POST_SCANS_TARGET: Record<Backend, number> = { sqlite: 0.4, postgres: 0.3 };

/** A valid scan without uuid (the server generates one); the ticket varies per request. */
export const scanBody = (n: number) =>
  JSON.stringify({
    ticket_id: `T-${n}`,
    event_id: INGEST_EVENT,
    scanner_id: `gate-${n % 16}`,
    location: "Gate A",
    device_info: "bench",
  });

/** `count` scans of INGEST_EVENT, one request each: something for GET /stats to count. */
export async function seedIngestEvent(url: string, count: number) {
  for (let i = 0; i < count; i++) {
    const res = await authFetch(`${url}/scans`, { method: "POST", body: scanBody(1e9 + i) });
    if (res.status !== 201) throw new Error(`seeding: POST /scans answered ${res.status}`);
  }
}

export interface IngestOptions {
  connections: number;
  /** Seconds per measurement; `rounds` measurements of each server. */
  seconds: number;
  rounds: number;
  warmupSeconds: number;
}

export async function ingestThroughput(
  backend: Backend,
  bare: ChildServer,
  opts: IngestOptions,
): Promise<ResultRow[]> {
  return withServer(backend, "ingest", async (server) => {
    note(
      `POST /scans on ${backend} vs POST /bare: ${opts.rounds} rounds of ${opts.seconds} s each, ${opts.connections} connections`,
    );
    const cmp = await compareThroughput(`${bare.url}/bare`, `${server.url}/scans`, {
      ...opts,
      body: scanBody,
    });
    const stored = cmp.target.reduce((n, r) => n + r.requests, 0);
    // Every 201 must have been counted (the warm-up's too, hence >=).
    const stats = await getJson<{ scan_count: number }>(`${server.url}/stats?event_id=${INGEST_EVENT}`);
    if (stats.scan_count < stored) {
      throw new Error(`${backend}: stats count ${stats.scan_count} scans, fewer than the ${stored} stored`);
    }
    const got = median(cmp.target.map((r) => r.requestsPerSecond));
    const ref = median(cmp.reference.map((r) => r.requestsPerSecond));
    const p50 = median(cmp.target.map((r) => r.latencyP50Ms));
    const p99 = median(cmp.target.map((r) => r.latencyP99Ms));
    note(`  ratios per round: ${cmp.ratios.map((r) => fmt(r)).join(", ")}`);
    return [
      {
        benchmark: `POST /scans, ${opts.connections} clients`,
        backend,
        measured: `${rps(got)} (p50 ${p50} ms, p99 ${p99} ms)`,
        reference: `${rps(ref)} (bare Hono)`,
        ...atLeast(median(cmp.ratios), POST_SCANS_TARGET[backend]),
      },
    ];
  });
}
