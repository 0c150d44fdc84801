// The Worker (src/worker.ts) in workerd, run by `wrangler dev --local` as a child process:
// - the size of its bundle as `wrangler deploy --minify` builds it, gzip -9, and what makes
//   it up (esbuild's metafile, per package);
// - database round trips of one POST /scans and one GET /stats?event_id= on the Neon path,
//   counted at the WebSocket-to-TCP proxy of the tests (test/support/ws-proxy.ts) in front
//   of a fresh, migrated Postgres database;
// - GET /stats?event_id= latency on local D1 in workerd against the Node server on a
//   SQLite file, both seeded with the same SQL.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { proxiedClient } from "../src/store/pg/neon.js";
import { nodePgStore } from "../src/store/pg/node-pg.js";
import { type ProxyCounters, startWsProxy, type WsProxy } from "../test/support/ws-proxy.js";
import { authFetch } from "./support/auth.js";
import { buildWorkerBundle } from "./support/bundle.js";
import { type ChildServer, startAppServer } from "./support/child-server.js";
import { getJson, type LatencyStats, sequentialLatency, summarise } from "./support/latency.js";
import { createBenchDatabase } from "./support/postgres.js";
import { note, timed } from "./support/progress.js";
import { atMost, fmt, ms, type ResultRow } from "./support/results.js";
import type { SeedPlan } from "./support/seed-plan.js";
import { seedSqlite, sqliteSeedStatements } from "./support/seed-sqlite.js";
import { tempDir, tempSqliteFile } from "./support/sqlite-file.js";
import { startWranglerDev, wrangler } from "./support/wrangler.js";

export interface WorkerBenchOptions {
  /** Whether Postgres answers (the Neon round trips need it). */
  postgres: boolean;
  /** Scans of the event GET /stats?event_id= reads (10,000), spread over `days` (10). */
  records: number;
  days: number;
  /** Timed requests per target, after `warmup` untimed ones. */
  samples: number;
  warmup: number;
}

export interface WorkerBenchResult {
  rows: ResultRow[];
  /** Bullets for bench/RESULTS.md: what the figures are made of. */
  notes: string[];
}

const KIB = 1024;
const BUNDLE_LIMIT_KIB = 180;
const kib = (bytes: number) => `${fmt(bytes / KIB, 1)} KiB`;

async function bundleSize(): Promise<WorkerBenchResult> {
  const b = await timed("Worker bundle (wrangler deploy --dry-run --minify)", buildWorkerBundle);
  const share = (bytes: number) => `${Math.round((100 * bytes) / b.minifiedBytes)}%`;
  const top = b.packages.slice(0, 5).map((p) => `${p.name} ${kib(p.bytes)} (${share(p.bytes)})`);
  const areas = b.areas.slice(0, 8).map((a) => `${a.name} ${kib(a.bytes)}`);
  return {
    rows: [
      {
        benchmark: "Worker bundle, minified, gzip -9",
        backend: "workers",
        measured: `${kib(b.gzipBytes)} (${kib(b.minifiedBytes)} minified)`,
        reference: `${BUNDLE_LIMIT_KIB} KiB budget`,
        ...atMost(b.gzipBytes / (BUNDLE_LIMIT_KIB * KIB), 1),
      },
    ],
    notes: [
      `Worker bundle, minified bytes per package (esbuild metafile of \`wrangler deploy --minify\`): ${top.join(", ")}. Largest parts: ${areas.join(", ")}.`,
    ],
  };
}

// --- Neon round trips -------------------------------------------------------------------

const diff = (a: ProxyCounters, b: ProxyCounters): ProxyCounters => ({
  connections: b.connections - a.connections,
  clientMessages: b.clientMessages - a.clientMessages,
  serverMessages: b.serverMessages - a.serverMessages,
  clientBytes: b.clientBytes - a.clientBytes,
  serverBytes: b.serverBytes - a.serverBytes,
  roundTrips: b.roundTrips - a.roundTrips,
});

/** Waits until the proxy's counters of `tag` stop moving (the pool ends after the answer). */
async function settled(proxy: WsProxy, tag: string): Promise<ProxyCounters> {
  let last = JSON.stringify(proxy.counters(tag));
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 50));
    const now = JSON.stringify(proxy.counters(tag));
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return proxy.counters(tag);
}

/** What `send` costs at the proxy, counted apart under `tag`. */
async function traffic(proxy: WsProxy, tag: string, send: () => Promise<void>): Promise<ProxyCounters> {
  const before = await settled(proxy, tag);
  await send();
  return diff(before, await settled(proxy, tag));
}

/** The connection startup alone: the Neon driver (in Node) connects through the proxy and ends. */
async function startupOnly(proxy: WsProxy, url: string): Promise<ProxyCounters> {
  const Client = proxiedClient(`${proxy.hostPort}/startup`);
  return traffic(proxy, "startup", async () => {
    const client = new Client({ connectionString: url });
    client.neonConfig.webSocketConstructor = WebSocket;
    await client.connect();
    await client.end();
  });
}

async function expectStatus(res: Response, status: number, what: string): Promise<void> {
  const body = await res.text();
  if (res.status !== status)
    throw new Error(`${what}: ${res.status}, expected ${status}: ${body.slice(0, 300)}`);
}

const scan = (i: number) => ({
  ticket_id: `rt-ticket-${i}`,
  event_id: "bench-rt",
  scanner_id: "gate-1",
  is_valid: true,
  location: "Main Entrance",
  device_info: "bench",
  additional_metadata: { battery_level: 80 },
});

const trafficText = (t: ProxyCounters) =>
  `${t.roundTrips} (${t.connections} conn; msgs ${t.clientMessages} c->s, ${t.serverMessages} s->c)`;

async function neonRoundTrips(): Promise<WorkerBenchResult> {
  const db = await createBenchDatabase("worker_neon");
  const state = tempDir("worker-neon");
  let proxy: WsProxy | undefined;
  let worker: ChildServer | undefined;
  try {
    // Opening a node-postgres store once applies drizzle/pg.
    await (await nodePgStore({ url: db.url, max: 1 })).close();
    proxy = await startWsProxy();
    const startup = await startupOnly(proxy, db.url);
    worker = await timed("wrangler dev on Neon (Postgres through the proxy)", () =>
      startWranglerDev({
        env: "dev",
        persistTo: state.path,
        vars: {
          DATABASE_URL: db.url,
          NEON_WS_PROXY: `${(proxy as WsProxy).hostPort}/worker`,
          STATS_CACHE_SECONDS: "0",
        },
      }),
    );
    const url = worker.url;
    const p = proxy;
    const post = (i: number) =>
      traffic(p, "worker", async () => {
        const res = await authFetch(`${url}/scans`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(scan(i)),
        });
        await expectStatus(res, 201, "POST /scans");
      });
    const get = () =>
      traffic(p, "worker", async () => {
        await expectStatus(await authFetch(`${url}/stats?event_id=bench-rt`), 200, "GET /stats?event_id");
      });
    const posts = [await post(1), await post(2)];
    const gets = [await get(), await get()];
    const stats = await getJson<{ scan_count: number }>(`${url}/stats?event_id=bench-rt`);
    if (stats.scan_count !== 2)
      throw new Error(`GET /stats?event_id=bench-rt: ${stats.scan_count} scans, expected 2`);
    // Ideal: the connection's startup, then one statement.
    const ideal = startup.roundTrips + 1;
    const row = (what: string, [first, second]: ProxyCounters[]): ResultRow => {
      const a = first as ProxyCounters;
      const b = second as ProxyCounters;
      const same = trafficText(a) === trafficText(b);
      return {
        benchmark: `${what}, Neon round trips`,
        backend: "neon (workerd)",
        measured: same ? `${trafficText(a)}; 2nd same` : `1st ${trafficText(a)}; 2nd ${trafficText(b)}`,
        reference: `${ideal}: connection startup ${startup.roundTrips} + 1 statement`,
        ...atMost(Math.max(a.roundTrips, b.roundTrips) / ideal, 1),
      };
    };
    const rows = [row("POST /scans", posts), row("GET /stats?event_id", gets)];
    for (const r of rows) note(`${r.benchmark}: ${r.measured}; ${r.reference}`);
    const notes = [
      `Neon connection startup alone (the driver in Node through the proxy, connect and end): ${trafficText(startup)}; the client's messages are the startup message and Terminate.`,
    ];
    return { rows, notes };
  } finally {
    await worker?.stop();
    await proxy?.close();
    state.remove();
    await db.drop();
  }
}

// --- GET /stats?event_id= on D1 vs Node SQLite ---------------------------------------------

function latencyPlan(records: number, days: number): SeedPlan {
  const event = { id: "bench-d1", records };
  return {
    big: event,
    small: event,
    events: 1,
    groups: [{ offset: 0, records, days, event: { id: event.id } }],
  };
}

async function timed404(url: string): Promise<number> {
  const start = performance.now();
  const res = await authFetch(url);
  await res.arrayBuffer();
  const elapsed = performance.now() - start;
  if (res.status !== 404) throw new Error(`GET ${url}: ${res.status}, expected 404`);
  return elapsed;
}

/**
 * The floor under the database: a path no route has (404, no query), on the Worker and on
 * the Node server in turn, as sequentialLatency does for 200s.
 */
async function floorLatency(
  urls: { d1: string; node: string },
  opts: { warmup: number; samples: number },
): Promise<{ d1: LatencyStats; node: LatencyStats }> {
  for (let i = 0; i < opts.warmup; i++) for (const u of [urls.d1, urls.node]) await timed404(u);
  const d1: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < opts.samples; i++) {
    if (i % 2 === 0) {
      d1.push(await timed404(urls.d1));
      node.push(await timed404(urls.node));
    } else {
      node.push(await timed404(urls.node));
      d1.push(await timed404(urls.d1));
    }
  }
  return { d1: summarise(d1), node: summarise(node) };
}

async function d1VsNode(opts: WorkerBenchOptions): Promise<WorkerBenchResult> {
  const plan = latencyPlan(opts.records, opts.days);
  const state = tempDir("worker-d1");
  const file = tempSqliteFile("worker-node");
  let worker: ChildServer | undefined;
  let node: ChildServer | undefined;
  try {
    const seedFile = join(state.path, "seed.sql");
    writeFileSync(seedFile, `${sqliteSeedStatements(plan).join(";\n")};\n`);
    const d1 = ["DB", "--local", "--env", "dev", "--persist-to", state.path];
    await timed(`seeding local D1: ${opts.records.toLocaleString("en-US")} scans`, async () => {
      await wrangler(["d1", "migrations", "apply", ...d1]);
      await wrangler(["d1", "execute", ...d1, "--file", seedFile]);
    });
    await seedSqlite(file.path, plan);
    [worker, node] = await timed("wrangler dev on D1, Node server on SQLite", () =>
      Promise.all([
        startWranglerDev({
          env: "dev",
          persistTo: state.path,
          vars: { STATS_CACHE_SECONDS: "0" },
        }),
        startAppServer({ sqlitePath: file.path }),
      ]),
    );
    const path = `/stats?event_id=${plan.big.id}`;
    for (const s of [worker, node]) {
      const got = await getJson<{ scan_count: number }>(`${s.url}${path}`);
      if (got.scan_count !== opts.records)
        throw new Error(`${s.url}${path}: ${got.scan_count} scans, expected ${opts.records}`);
    }
    note(`GET /stats?event_id on D1 (workerd) and Node SQLite: ${opts.samples} x 2 sequential requests`);
    const t = await sequentialLatency(
      { d1: `${worker.url}${path}`, node: `${node.url}${path}` },
      { warmup: opts.warmup, samples: opts.samples },
    );
    const floorSamples = Math.max(1, Math.round(opts.samples / 2));
    note(`GET of a missing path (404, no database) on both: ${floorSamples} x 2 sequential requests`);
    const floor = await floorLatency(
      { d1: `${worker.url}/__bench_missing`, node: `${node.url}/__bench_missing` },
      { warmup: Math.min(opts.warmup, 50), samples: floorSamples },
    );
    const records = `${opts.records.toLocaleString("en-US")} scans`;
    const rows: ResultRow[] = (["p50", "p99"] as const).map((p) => ({
      benchmark: `GET /stats?event_id, ${p}, D1 vs Node`,
      backend: "d1 (workerd)",
      measured: `${ms(t.d1[p])} (${records})`,
      reference: `${ms(t.node[p])} (Node, SQLite file)`,
      ratio: t.d1[p] / t.node[p],
      target: "",
      ok: null,
    }));
    rows.push({
      benchmark: "GET 404 (no database), p50, workerd vs Node",
      backend: "d1 (workerd)",
      measured: `p50 ${ms(floor.d1.p50)}, p99 ${ms(floor.d1.p99)}`,
      reference: `p50 ${ms(floor.node.p50)}, p99 ${ms(floor.node.p99)} (Node)`,
      ratio: floor.d1.p50 / floor.node.p50,
      target: "",
      ok: null,
    });
    for (const r of rows) note(`${r.benchmark}: ${r.measured} vs ${r.reference}`);
    return { rows, notes: [] };
  } finally {
    await Promise.all([worker?.stop(), node?.stop()]);
    state.remove();
    file.remove();
  }
}

/** All of the Worker's figures; the Neon ones only when Postgres answers. */
export async function workerBenches(opts: WorkerBenchOptions): Promise<WorkerBenchResult> {
  const parts = [await bundleSize()];
  if (opts.postgres) parts.push(await neonRoundTrips());
  parts.push(await d1VsNode(opts));
  return { rows: parts.flatMap((p) => p.rows), notes: parts.flatMap((p) => p.notes) };
}
