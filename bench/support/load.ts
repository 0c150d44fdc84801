// Throughput under concurrent clients: autocannon in the bench process against servers in
// child processes. Requests/s counts 2xx answers only, over the measured window.
import { readdirSync, readFileSync } from "node:fs";
import autocannon from "autocannon";
import { authHeaders } from "./auth.js";

export interface LoadOptions {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** The JSON body of the n-th request (a POST); none: GETs. */
  body?: (n: number) => string;
  /** The servers' process ids (a server of several processes: all of them): their CPU time per request is measured too (/proc). */
  pids?: { reference?: Pids | undefined; target?: Pids | undefined };
}

export interface LoadResult {
  /** CPU time (user + system, every thread) of the server per answered request, µs; NaN when not measured. */
  cpuMicrosPerRequest: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
}

// One count for the whole run: each request's body is new (a distinct ticket) across the
// warm-up and every round, not the same few thousand tickets again in each.
let n = 0;

export type Pids = number | readonly number[];

/** The fields of /proc/<pid>/stat after "pid (comm) ": the state is field 0, the process group 2, utime 11, stime 12. */
const statFields = (pid: number) =>
  readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];

/** User + system CPU time of processes, every thread, in µs (Linux: /proc, clock ticks of 10 ms). */
export function cpuMicros(pids: Pids): number {
  let ticks = 0;
  for (const pid of typeof pids === "number" ? [pids] : pids) {
    const fields = statFields(pid);
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10_000;
}

/**
 * The processes whose command is `command`, of process group `group` if given (workerd
 * under one wrangler dev; every `postgres` process of the server).
 */
export function processesNamed(command: string, group?: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (comm === command && (group === undefined || Number(statFields(pid)[2]) === group)) out.push(pid);
    } catch {
      // gone in between
    }
  }
  return out;
}

/** One measurement: `opts.connections` clients on `url` for `seconds`; with `pid`, that server's CPU per answer too. */
export async function fire(
  url: string,
  opts: Omit<LoadOptions, "seconds" | "warmupSeconds" | "pids">,
  seconds: number,
  pid?: Pids,
): Promise<LoadResult> {
  const body = opts.body;
  const method = body ? "POST" : "GET";
  const before = pid ? cpuMicros(pid) : Number.NaN;
  const r = await autocannon({
    url,
    connections: opts.connections,
    duration: seconds,
    method,
    headers: { "content-type": "application/json", ...authHeaders(method) },
    ...(body ? { requests: [{ setupRequest: (req: object) => ({ ...req, body: body(n++) }) }] } : {}),
  });
  if (r.non2xx > 0 || r.errors > 0) {
    throw new Error(`${url}: ${r.non2xx} non-2xx answers and ${r.errors} errors under load`);
  }
  return {
    cpuMicrosPerRequest: pid ? (cpuMicros(pid) - before) / r["2xx"] : Number.NaN,
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
      ref = await fire(referenceUrl, opts, opts.seconds, opts.pids?.reference);
      got = await fire(targetUrl, opts, opts.seconds, opts.pids?.target);
    } else {
      got = await fire(targetUrl, opts, opts.seconds, opts.pids?.target);
      ref = await fire(referenceUrl, opts, opts.seconds, opts.pids?.reference);
    }
    out.reference.push(ref);
    out.target.push(got);
    out.ratios.push(got.requestsPerSecond / ref.requestsPerSecond);
  }
  return out;
}
