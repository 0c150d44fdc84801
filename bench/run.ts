// `npm run bench`: every benchmark in one run, each as a ratio against a reference measured
// in the same run on the same machine. Prints the results table and writes bench/RESULTS.md.
// Knobs (env): BENCH_SECONDS (seconds per load measurement, 3), BENCH_ROUNDS (alternating
// reference/target rounds, 3), BENCH_RECORDS (raw records of the big event, 1000000),
// BENCH_SAMPLES (sequential requests per event, 2000), BENCH_DRAIN_RECORDS (scans buffered on
// the gate device and drained through POST /sync, 100000), BENCH_SKIP_POSTGRES=1,
// BENCH_ONLY=export, attendance, alerts, dashboard, access, cpu or worker-cpu (that benchmark alone: its section of
// RESULTS.md is rewritten, the rest of the file kept).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ACCESS_SECTION, type AccessOptions, accessBench, accessSection } from "./access.js";
import { ALERTS_SECTION, type AlertsRun, alertsLatency, alertsSection } from "./alerts.js";
import {
  ATTENDANCE_SECTION,
  type AttendanceRun,
  attendanceLatency,
  attendanceSection,
} from "./attendance.js";
import { CPU_SECTION, type CpuOptions, cpuBench, cpuSection } from "./cpu.js";
import { DASHBOARD_SECTION, dashboardBench, dashboardSection } from "./dashboard.js";
import { EXPORT_SECTION, exportSection, exportThroughput } from "./export.js";
import { ingestThroughput } from "./ingest-throughput.js";
import { cliStartup } from "./scanner-cli.js";
import { drainThroughput, recordLatency } from "./scanner-sync.js";
import { statsLatency } from "./stats-latency.js";
import { OPEN } from "./support/auth.js";
import type { Backend } from "./support/backends.js";
import { startBareServer } from "./support/child-server.js";
import { ADMIN_URL, postgresAvailable } from "./support/postgres.js";
import { note } from "./support/progress.js";
import { markdownTable, type ResultRow } from "./support/results.js";
import { replaceSection, type Section } from "./support/sections.js";
import { workerBenches } from "./worker.js";
import { WORKER_CPU_SECTION, type WorkerCpuOptions, workerCpuBench, workerCpuSection } from "./worker-cpu.js";

const KNOBS = [
  "BENCH_SECONDS",
  "BENCH_ROUNDS",
  "BENCH_RECORDS",
  "BENCH_SAMPLES",
  "BENCH_DRAIN_RECORDS",
  "BENCH_SKIP_POSTGRES",
  "BENCH_OPEN",
  "BENCH_ONLY",
];
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] || fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};

const seconds = num("BENCH_SECONDS", 3);
const rounds = num("BENCH_ROUNDS", 3);
const bigRecords = num("BENCH_RECORDS", 1_000_000);
const samples = num("BENCH_SAMPLES", 2000);
const allSamples = 500;
const drainRecords = num("BENCH_DRAIN_RECORDS", 100_000);
const drainBatch = 1000;
const recordSamples = 2000;
const workerSamples = 1000;
const workerRecords = 10_000;
const dashboardRuns = 20;
const cpuOptions: CpuOptions = { connections: 32, seconds, rounds, warmupSeconds: 2 };
const workerCpuOptions = (): WorkerCpuOptions => ({ ...cpuOptions, postgres: backends.includes("postgres") });
const accessOptions: AccessOptions = {
  records: 20_000,
  batchSize: drainBatch,
  rounds: 9,
  revoked: 1000,
  samples,
  warmup: 200,
};
const started = performance.now();
const loadBefore = loadavg()[0] ?? 0;

const backends: Backend[] = ["sqlite"];
const notes: string[] = [];
if (process.env.BENCH_SKIP_POSTGRES === "1") notes.push("Postgres skipped (BENCH_SKIP_POSTGRES=1).");
else if (await postgresAvailable()) backends.push("postgres");
else notes.push(`Postgres skipped: no server answers at ${new URL(ADMIN_URL).host}.`);
for (const n of notes) note(n);

const results = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const command = () =>
  `${KNOBS.filter((k) => process.env[k])
    .map((k) => `${k}=${process.env[k]} `)
    .join("")}npm run bench`;
const exportRows = async () => {
  const out: ResultRow[] = [];
  for (const backend of backends)
    out.push(...(await exportThroughput(backend, { records: bigRecords, rounds })));
  return out;
};
const attendanceRuns = async () => {
  const out: AttendanceRun[] = [];
  for (const backend of backends)
    out.push(await attendanceLatency(backend, { bigScans: bigRecords, samples, warmup: 200 }));
  return out;
};
const alertsRuns = async () => {
  const out: AlertsRun[] = [];
  for (const backend of backends)
    out.push(await alertsLatency(backend, { bigScans: bigRecords, samples, warmup: 200 }));
  return out;
};
/** A benchmark's rows on each backend, one after another. */
const eachBackend = async (bench: (backend: Backend) => Promise<ResultRow[]>) => {
  const out: ResultRow[] = [];
  for (const backend of backends) out.push(...(await bench(backend)));
  return out;
};
/** The benchmarks with a section of RESULTS.md of their own, each run and written by `render`. */
const sections: Record<string, { section: Section; render: () => Promise<string> }> = {
  export: {
    section: EXPORT_SECTION,
    render: async () =>
      exportSection(await exportRows(), { command: command(), records: bigRecords, rounds }),
  },
  attendance: {
    section: ATTENDANCE_SECTION,
    render: async () =>
      attendanceSection(await attendanceRuns(), {
        command: command(),
        bigScans: bigRecords,
        samples,
        warmup: 200,
      }),
  },
  alerts: {
    section: ALERTS_SECTION,
    render: async () =>
      alertsSection(await alertsRuns(), { command: command(), bigScans: bigRecords, samples, warmup: 200 }),
  },
  cpu: {
    section: CPU_SECTION,
    render: async () =>
      cpuSection(await eachBackend((b) => cpuBench(b, cpuOptions)), { command: command(), opts: cpuOptions }),
  },
  "worker-cpu": {
    section: WORKER_CPU_SECTION,
    render: async () =>
      workerCpuSection(await workerCpuBench(workerCpuOptions()), {
        command: command(),
        opts: workerCpuOptions(),
      }),
  },
  access: {
    section: ACCESS_SECTION,
    render: async () =>
      accessSection(await eachBackend((b) => accessBench(b, accessOptions)), {
        command: command(),
        opts: accessOptions,
      }),
  },
  dashboard: {
    section: DASHBOARD_SECTION,
    render: async () =>
      dashboardSection(await dashboardBench({ runs: dashboardRuns }), {
        command: command(),
        runs: dashboardRuns,
      }),
  },
};

const only = process.env.BENCH_ONLY;
if (only) {
  const bench = Object.hasOwn(sections, only) ? sections[only] : undefined;
  if (!bench) throw new Error(`BENCH_ONLY takes one of: ${Object.keys(sections).join(", ")}`);
  const text = await bench.render();
  console.log(`\n${text}`);
  const old = existsSync(results) ? readFileSync(results, "utf8") : "";
  writeFileSync(results, replaceSection(old, bench.section, text));
  note(`wrote the ${only} section of bench/RESULTS.md`);
  process.exit(0);
}

const rows: ResultRow[] = [];
const bare = await startBareServer();
try {
  for (const backend of backends) {
    rows.push(
      ...(await ingestThroughput(backend, bare, { connections: 32, seconds, rounds, warmupSeconds: 2 })),
    );
  }
  for (const backend of backends) {
    rows.push(...(await statsLatency(backend, bare, { bigRecords, samples, warmup: 200, allSamples })));
  }
} finally {
  await bare.stop();
}
// The export and the entry-flow reads: sections of their own (BENCH_ONLY rewrites one alone).
const sectionTexts: string[] = [];
for (const bench of Object.values(sections)) sectionTexts.push(await bench.render());
// The gate device (scanner-sync): no bare server needed.
rows.push(...(await recordLatency({ samples: recordSamples, warmup: 200 })));
rows.push(...(await cliStartup({ runs: 41, warmup: 3 })));
rows.push(...(await drainThroughput(backends, { records: drainRecords, batchSize: drainBatch })));
// The Worker in workerd (wrangler dev --local): bundle size, Neon round trips, D1 latency.
const worker = await workerBenches({
  postgres: backends.includes("postgres"),
  records: workerRecords,
  days: 10,
  samples: workerSamples,
  warmup: 100,
});
rows.push(...worker.rows);
notes.push(...worker.notes);

const elapsed = (performance.now() - started) / 1000;
const cpu = cpus();
const machine =
  `${cpu.length} CPUs (${cpu[0]?.model.trim() ?? "unknown"}), Node ${process.version}, ` +
  `${process.platform}/${process.arch}; 1-min load average ${loadBefore.toFixed(2)} at the start`;
const table = markdownTable(rows);

console.log(`\n${table}\n`);
console.log(`${machine}. ${elapsed.toFixed(0)} s in all.`);

const md = `# Benchmark results

Produced by \`${command()}\` on ${new Date().toISOString()}.
Machine: ${machine}. The bench took ${elapsed.toFixed(0)} s.

Every figure is a ratio against a reference measured in the same run on the same machine,
since absolute times on a shared machine drift. The server runs as users run it, in a child
process: \`node dist/server.js\` (compiled), ${OPEN ? "open (no API_TOKENS) and at LOG_LEVEL=warn (BENCH_OPEN=1, as the bench ran before 2026-12)" : "with API_TOKENS and SCANNER_SIGNING_KEY set and every request carrying its token (reader for GETs, ingest for POSTs, a scanner token for drains), at the default LOG_LEVEL (info: a log line per request)"}. The load
generator (autocannon) and the latency client run in the bench process.

${table}

- **POST /scans**: 32 connections; after a 2 s warm-up of each server, ${rounds} rounds of
  ${seconds} s on the bare route and ${seconds} s on the real one, back to back in alternating
  order. Shown: median requests/s (2xx answers) of each and the median of the rounds'
  ratios. The reference is a bare Hono route on @hono/node-server that parses the same JSON
  body and answers 201 (it gets the same Authorization header). SQLite is a temp file,
  Postgres a fresh database. Each request scans a distinct ticket; all go to one event, so
  they all update one analytics_stats row.
- **GET /stats?event_id**: ${samples} sequential requests per event after 200 warm-up ones,
  alternating between an event with ${bigRecords.toLocaleString("en-US")} raw scans and one with 1,000 (both
  over 30 days, in the same database), seeded directly in SQL with their analytics_stats
  rows computed from the raw rows.
- **GET /stats (all)**: ${allSamples} sequential requests over 1,000 events (the two above and 998
  with 100 scans over 3 days each), alternating with a bare Hono GET route (the reference).
- **ScanBuffer.record**: the gate device's recording latency, ${recordSamples} records after 200 warm-up
  ones on a temp file opened by the library (WAL, synchronous = FULL), called in turn with
  the reference: a bare better-sqlite3 autocommit INSERT of a comparable row (prepared
  once, row built beforehand) into a similar table (uuid UNIQUE, JSON item) of another file
  with the same pragmas. Shown: p50 and p99 of each; no target (about 1.5x is expected: the
  record is validated with the server's schema, gets a UUIDv7 and is checked for a stored
  uuid in its own transaction). The ratio grows as fsync gets cheaper.
- **veritix-scanner record, whole process**: the gate device's CLI as a device runs it
  (\`node bin/veritix-scanner.cjs record ...\` on a temp buffer, the compiled bundle),
  alternating with \`node -e 0\` (the floor of any Node process), 41 runs each after 3
  warm-up ones, in this machine's env and in an env of PATH alone (NODE_EXTRA_CA_CERTS, set
  here, adds ~40 ms to every Node process and so flatters the ratio). Wall time from spawn
  to exit (medians); max RSS of each run from /usr/bin/time. Budget: 2.5x and 60 MB.
- **drain N scans**: ${drainRecords.toLocaleString("en-US")} scans (one event, three days, metadata on each),
  buffered by ScanBuffer.importNdjson (one local transaction, untimed), then drained by
  \`new Uploader({ buffer, url, batchSize: ${drainBatch} }).drain()\` in the bench process to
  POST /sync of the real server (child process, fresh database, a scanner token). Before the
  clock starts, another device drains 3,000 scans of another event into the same server
  (its warm-up: JIT, connections, statements). Afterwards
  GET /stats?event_id must count exactly the drained scans (valid and invalid); the
  measured cell says whether it did, and a count that is not exact fails the row. Ratio:
  reference time / drain time. Each reference loads the same rows (same columns) into
  \`ticket_scans\` of a fresh database migrated by the project's own store, once before and
  once after the drain; shown is the mean of the two. Postgres: \`psql -c "\\copy
  ticket_scans(...) FROM 'file.csv' WITH (FORMAT csv)"\`, timed from spawn to exit, so
  psql's start-up and connection are included (their size, from \`psql -c 'SELECT 1'\`, is
  given). SQLite: one better-sqlite3 transaction of one prepared INSERT per row, with the
  server's pragmas (WAL, synchronous = FULL), rows encoded beforehand.
- **Worker bundle**: \`wrangler deploy --dry-run --env "" --minify --metafile\` (the production
  config), gzip -9 (node:zlib) of worker.js against a budget of 180 KiB; what it is made of,
  from esbuild's metafile, in the last bullets.
- **Neon round trips**: the Worker in workerd (\`wrangler dev --local --env dev\`, DATABASE_URL
  set, STATS_CACHE_SECONDS=0) reaches a fresh migrated Postgres database through the
  counting WebSocket-to-TCP proxy of the tests (test/support/ws-proxy.ts, in the bench
  process; NEON_WS_PROXY). Counted per request: connections, WebSocket messages each way
  and round trips (the server answering something the client sent), for a first and a
  second POST /scans (new scan, same event) and two identical GET /stats?event_id. The
  reference is the connection startup alone (the Neon driver in Node connecting through
  the same proxy and ending), plus one statement. Locally there is no pipelining (trust
  auth, pipelineConnect off), so startup is a round trip of its own; on Neon's endpoint the
  driver's default (pipelineConnect "password") sends startup, password and the first
  query together.
- **GET /stats?event_id, D1 vs Node**: one event with ${workerRecords.toLocaleString("en-US")} scans over 10 days, seeded with
  the same SQL into local D1 (\`wrangler d1 migrations apply\` and \`d1 execute --file\`) and
  into a SQLite file for the Node server. ${workerSamples} sequential requests to each in turn after 100
  warm-up ones; the Worker runs under \`wrangler dev --local\` (STATS_CACHE_SECONDS=0, so every
  request queries D1), which puts wrangler's proxy Worker in front of it: the 404 row (a
  path no route has, no query; ${workerSamples / 2} requests each) gives that floor on both sides. No target.
${notes.map((n) => `- ${n}\n`).join("")}
${sectionTexts.join("\n")}`;
writeFileSync(results, md);
note("wrote bench/RESULTS.md");
