// Issue 15's Worker figures: POST /scans and GET /stats?event_id in workerd (`wrangler dev
// --local`, tokens on, LOG_LEVEL=info) on D1 and on Neon (Postgres through the tests'
// WebSocket-to-TCP proxy), under 32 clients, against a bare Hono Worker doing the same
// parse or answering the same JSON from memory (bench/support/bare-worker.ts), each run
// the same way. CPU per request: user + system time of the workerd processes of each
// `wrangler dev` (/proc), over the answers. No targets: the issue asks for the figures.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodePgStore } from "../src/store/pg/node-pg.js";
import { startWsProxy, type WsProxy } from "../test/support/ws-proxy.js";
import { cpuRows } from "./cpu.js";
import { INGEST_EVENT, scanBody, seedIngestEvent } from "./ingest-throughput.js";
import { authFetch } from "./support/auth.js";
import { type Comparison, compareThroughput, type LoadOptions, processesNamed } from "./support/load.js";
import { createBenchDatabase } from "./support/postgres.js";
import { note, timed } from "./support/progress.js";
import { markdownTable, type ResultRow } from "./support/results.js";
import { producedBy, type Section, sectionText } from "./support/sections.js";
import { tempDir } from "./support/sqlite-file.js";
import { startWranglerDev, wrangler } from "./support/wrangler.js";

export const WORKER_CPU_SECTION: Section = {
  name: "worker-cpu",
  heading: "## CPU per request (Worker in workerd, 32 clients)",
};

export interface WorkerCpuOptions {
  connections: number;
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  /** Whether Postgres answers (the Neon rows need it). */
  postgres: boolean;
}

type Backend = "d1" | "neon";
const BARE_WORKER = fileURLToPath(new URL("./support/bare-worker.ts", import.meta.url));
const STATS_PATH = `/stats?event_id=${INGEST_EVENT}`;

interface Dev {
  url: string;
  /** Its workerd processes: whose CPU time counts. */
  workerd: number[];
  stop(): Promise<void>;
}

async function dev(opts: Parameters<typeof startWranglerDev>[0]): Promise<Dev> {
  const d = await startWranglerDev(opts);
  const workerd = processesNamed("workerd", d.pid);
  if (workerd.length === 0) {
    await d.stop();
    throw new Error(`wrangler dev (${d.url}): no workerd process in its process group`);
  }
  return { url: d.url, workerd, stop: () => d.stop() };
}

/** The bare Worker, under a config of its own, answering `statsJson` at GET /bare/stats. */
async function bareWorker(dir: string, statsJson: string): Promise<Dev> {
  const config = join(dir, "wrangler.toml");
  writeFileSync(
    config,
    `name = "veritix-bench-bare"\nmain = ${JSON.stringify(BARE_WORKER)}\ncompatibility_date = "2026-04-01"\n`,
  );
  return dev({ config, persistTo: join(dir, "state"), vars: { BARE_STATS_JSON: statsJson } });
}

/** How the real Worker is started on `backend` with the edge cache's seconds. */
type StartTarget = (cacheSeconds: string) => Promise<Dev>;

async function measure(
  backend: Backend,
  start: StartTarget,
  bare: () => Promise<Dev>,
  opts: WorkerCpuOptions,
): Promise<ResultRow[]> {
  const compare = (ref: Dev, refPath: string, target: Dev, path: string, body?: LoadOptions["body"]) =>
    compareThroughput(`${ref.url}${refPath}`, `${target.url}${path}`, {
      ...opts,
      ...(body ? { body } : {}),
      pids: { reference: ref.workerd, target: target.workerd },
    });
  const out: ResultRow[] = [];
  const push = (route: string, cmp: Comparison) => out.push(...cpuRows(`${backend} (workerd)`, route, cmp));
  // Every GET /stats queries the database (STATS_CACHE_SECONDS=0), then as configured by
  // default (5 s: under this load nearly every answer comes from the edge cache). The bare
  // Worker starts after the first, which seeds the event whose answer it repeats.
  const uncached = await timed(`wrangler dev on ${backend}, edge cache off`, () => start("0"));
  let ref: Dev;
  try {
    ref = await bare();
  } catch (err) {
    await uncached.stop();
    throw err;
  }
  try {
    try {
      note(`Worker CPU (${backend}): POST /scans vs the bare Worker's POST /bare`);
      push("POST /scans", await compare(ref, "/bare", uncached, "/scans", scanBody));
      note(`Worker CPU (${backend}): GET ${STATS_PATH} (edge cache off) vs GET /bare/stats`);
      push("GET /stats?event_id, edge cache off", await compare(ref, "/bare/stats", uncached, STATS_PATH));
    } finally {
      await uncached.stop();
    }
    const cached = await timed(`wrangler dev on ${backend}, edge cache 5 s`, () => start("5"));
    try {
      note(`Worker CPU (${backend}): GET ${STATS_PATH} (edge cache 5 s) vs GET /bare/stats`);
      push("GET /stats?event_id, edge cache 5 s", await compare(ref, "/bare/stats", cached, STATS_PATH));
    } finally {
      await cached.stop();
    }
  } finally {
    await ref.stop();
  }
  return out;
}

/** The bare Worker answers what the real one answered for the seeded event. */
async function seededAnswer(url: string): Promise<string> {
  await seedIngestEvent(url, 100);
  const res = await authFetch(`${url}${STATS_PATH}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${STATS_PATH}: ${res.status} ${text.slice(0, 200)}`);
  return text;
}

async function d1Rows(opts: WorkerCpuOptions, bareDir: string): Promise<ResultRow[]> {
  const state = tempDir("worker-cpu-d1");
  try {
    await wrangler([
      "d1",
      "migrations",
      "apply",
      "DB",
      "--local",
      "--env",
      "dev",
      "--persist-to",
      state.path,
    ]);
    let answer = "";
    const start: StartTarget = async (cacheSeconds) => {
      const d = await dev({ env: "dev", persistTo: state.path, vars: { STATS_CACHE_SECONDS: cacheSeconds } });
      if (!answer) answer = await seededAnswer(d.url);
      return d;
    };
    return await measure("d1", start, () => bareWorker(bareDir, answer), opts);
  } finally {
    state.remove();
  }
}

async function neonRows(opts: WorkerCpuOptions, bareDir: string): Promise<ResultRow[]> {
  const db = await createBenchDatabase("worker_cpu");
  const state = tempDir("worker-cpu-neon");
  let proxy: WsProxy | undefined;
  try {
    // Opening a node-postgres store once applies drizzle/pg.
    await (await nodePgStore({ url: db.url, max: 1 })).close();
    const p = await startWsProxy();
    proxy = p;
    let answer = "";
    const start: StartTarget = async (cacheSeconds) => {
      const d = await dev({
        env: "dev",
        persistTo: state.path,
        vars: {
          DATABASE_URL: db.url,
          NEON_WS_PROXY: `${p.hostPort}/worker`,
          STATS_CACHE_SECONDS: cacheSeconds,
        },
      });
      if (!answer) answer = await seededAnswer(d.url);
      return d;
    };
    return await measure("neon", start, () => bareWorker(bareDir, answer), opts);
  } finally {
    await proxy?.close();
    state.remove();
    await db.drop();
  }
}

export async function workerCpuBench(opts: WorkerCpuOptions): Promise<ResultRow[]> {
  const bareDir = tempDir("worker-cpu-bare");
  try {
    const rows = await d1Rows(opts, bareDir.path);
    if (opts.postgres) rows.push(...(await neonRows(opts, bareDir.path)));
    return rows;
  } finally {
    bareDir.remove();
  }
}

export function workerCpuSection(
  rows: ResultRow[],
  ctx: { command: string; opts: WorkerCpuOptions },
): string {
  const { opts } = ctx;
  return sectionText(
    WORKER_CPU_SECTION,
    `${producedBy(WORKER_CPU_SECTION, ctx.command)}

${markdownTable(rows)}

- The Worker as users run it (src/worker.ts under \`wrangler dev --local --env dev\`, tokens
  on, LOG_LEVEL=info; a fresh local D1, or a fresh Postgres database reached by the Neon
  driver through the tests' WebSocket-to-TCP proxy, in the bench process) and the bare
  Hono Worker (bench/support/bare-worker.ts, no middleware, under \`wrangler dev --local\`
  too), each under ${opts.connections} autocannon clients in the bench process, after ${opts.warmupSeconds} s of
  warm-up, ${opts.rounds} rounds of ${opts.seconds} s back to back in alternating order. Shown:
  medians of the rounds; ratio: the median of the rounds' ratios.
- **POST /scans**: a distinct ticket per request; the bare route parses the same JSON and
  answers 201. **GET /stats?event_id** (100 scans): the reader's token; the bare route
  answers the same JSON from memory. With the edge cache off every request reads the
  database; with the default 5 s nearly every answer comes from the Cache API.
- **CPU per request**: user + system time of the \`wrangler dev\`'s workerd processes
  (/proc, 10 ms ticks) over each round's answers. It is the whole runtime's, not only the
  Worker isolate's (what Cloudflare bills): workerd's HTTP, wrangler's proxy Worker in
  front, and for D1 the local D1 itself, which runs in the same workerd process (on
  Cloudflare it runs beside the Worker, unbilled). Neon's Postgres runs outside (not
  counted); its WebSocket, one per request, is in workerd.`,
  );
}
