// GET /export/scans of an event of 1,000,000 scans as NDJSON, through the real server
// (child process), on SQLite and on Postgres, against the same rows read by a bare driver
// query in the bench process and written as the same JSON lines: better-sqlite3's
// .iterate() of one SELECT; node-postgres FETCHing 5,000 rows at a time from a server-side
// cursor (DECLARE ... CURSOR in a transaction: constant memory, as the export). Both give
// byte for byte the export's output (checked), so the ratio is the cost of the server: its
// keyset pages, Drizzle's row mapping, HTTP. Reference and export alternate over `rounds`;
// shown are the medians. Meanwhile the server's VmRSS is sampled from /proc (every 10 ms):
// its peak growth over the level before the export (after a warm-up export).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import { EXPORTS } from "../src/export/columns.js";
import { authFetch } from "./support/auth.js";
import { type Backend, type BackendDb, withServer } from "./support/backends.js";
import type { ChildServer } from "./support/child-server.js";
import { getJson } from "./support/latency.js";
import { median } from "./support/load.js";
import { note, timed } from "./support/progress.js";
import { atLeast, atMost, fmt, markdownTable, type ResultRow } from "./support/results.js";
import { type Section, sectionText } from "./support/sections.js";
import { seedPlan, totalRecords } from "./support/seed-plan.js";

const RATE_TARGET = 0.5;
const RSS_TARGET_MB = 64;
const FETCH = 5000;
/** The export's columns, in its order: the reference reads and writes exactly these. */
const COLUMNS = EXPORTS.scans.columns;
const SELECT = `SELECT ${COLUMNS.join(", ")} FROM ticket_scans WHERE event_id = $1 ORDER BY scan_timestamp, id`;

export interface ExportOptions {
  /** Scans of the exported event (1,000,000). */
  records: number;
  rounds: number;
}

interface Pass {
  rows: number;
  bytes: number;
  ms: number;
}

const count = (n: number) => n.toLocaleString("en-US");
const rate = (p: Pass) => (p.rows / p.ms) * 1000;
const mb = (bytes: number) => bytes / (1024 * 1024);

/** A stream of JSON lines in chunks of `every` rows, each encoded as the server encodes its pages. */
function lineWriter(every: number) {
  const encoder = new TextEncoder();
  let text = "";
  let n = 0;
  let bytes = 0;
  return {
    add(row: unknown) {
      text += `${JSON.stringify(row)}\n`;
      if (++n % every === 0) {
        bytes += encoder.encode(text).byteLength;
        text = "";
      }
    },
    done: (): Pass => ({ rows: n, bytes: bytes + encoder.encode(text).byteLength, ms: 0 }),
  };
}

async function bareSqlite(path: string, eventId: string): Promise<Pass> {
  const db = new Database(path, { readonly: true });
  try {
    const start = performance.now();
    const out = lineWriter(FETCH);
    const rows = db.prepare(SELECT.replace("$1", "?")).iterate(eventId) as Iterable<Record<string, unknown>>;
    for (const r of rows) {
      // The stored forms, as any exporter must turn them: ms to ISO times, 0/1 to booleans, JSON text to JSON.
      r.scan_timestamp = new Date(r.scan_timestamp as number);
      r.received_at = new Date(r.received_at as number);
      r.is_valid = r.is_valid === 1;
      r.additional_metadata =
        r.additional_metadata === null ? null : JSON.parse(r.additional_metadata as string);
      out.add(r);
    }
    return { ...out.done(), ms: performance.now() - start };
  } finally {
    db.close();
  }
}

async function barePostgres(url: string, eventId: string): Promise<Pass> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const start = performance.now();
    const out = lineWriter(FETCH);
    await client.query("BEGIN");
    await client.query(`DECLARE export NO SCROLL CURSOR FOR ${SELECT}`, [eventId]);
    for (;;) {
      const { rows } = await client.query(`FETCH ${FETCH} FROM export`);
      for (const r of rows) {
        r.id = Number(r.id); // int8 comes as text
        out.add(r);
      }
      if (rows.length < FETCH) break;
    }
    await client.query("COMMIT");
    return { ...out.done(), ms: performance.now() - start };
  } finally {
    await client.end();
  }
}

/** The process's resident set and its CPU time (user + system), from /proc. */
function procStats(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses; in clock ticks (100 Hz).
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
  return { rssBytes: kb("VmRSS") * 1024, hwmBytes: kb("VmHWM") * 1024, cpuSeconds };
}

/** One export through HTTP, read to its end; the server's RSS growth and CPU time meanwhile. */
async function viaServer(server: ChildServer, eventId: string) {
  const pid = server.pid as number;
  const before = procStats(pid);
  let peak = before.rssBytes;
  const sampler = setInterval(() => {
    peak = Math.max(peak, procStats(pid).rssBytes);
  }, 10);
  const start = performance.now();
  try {
    const res = await authFetch(`${server.url}/export/scans?event_id=${encodeURIComponent(eventId)}`);
    if (res.status !== 200) throw new Error(`GET /export/scans: ${res.status} ${await res.text()}`);
    let bytes = 0;
    let rows = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
    }
    const ms = performance.now() - start;
    const after = procStats(pid);
    peak = Math.max(peak, after.rssBytes);
    return {
      pass: { rows, bytes, ms },
      rssGrowth: peak - before.rssBytes,
      cpuSeconds: after.cpuSeconds - before.cpuSeconds,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function exportRows(backend: Backend, server: ChildServer, db: BackendDb, opts: ExportOptions) {
  const plan = seedPlan(opts.records);
  const big = plan.big;
  const stats = await getJson<{ scan_count: number }>(`${server.url}/stats?event_id=${big.id}`);
  if (stats.scan_count !== big.records)
    throw new Error(`${big.id}: ${stats.scan_count} scans, expected ${big.records}`);
  const bare = () =>
    "sqlitePath" in db.location
      ? bareSqlite(db.location.sqlitePath, big.id)
      : barePostgres(db.location.databaseUrl, big.id);
  // Warm-up: the server's JIT and connections, the database's cache of the event's pages.
  await viaServer(server, plan.small.id);
  await bare();
  await new Promise((resolve) => setTimeout(resolve, 100));
  note(
    `GET /export/scans of ${count(big.records)} scans on ${backend}: ${opts.rounds} rounds, each with the bare reference`,
  );
  const refs: Pass[] = [];
  const runs: Awaited<ReturnType<typeof viaServer>>[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    refs.push(await bare());
    // better-sqlite3's read held this event loop for seconds: let it see the keep-alive
    // connections the server closed meanwhile, or fetch may reuse one ("other side closed").
    await new Promise((resolve) => setTimeout(resolve, 100));
    runs.push(await viaServer(server, big.id));
    const [r, e] = [refs.at(-1) as Pass, (runs.at(-1) as (typeof runs)[number]).pass];
    note(
      `  round ${round + 1}: export ${count(Math.round(rate(e)))} rows/s, bare ${count(Math.round(rate(r)))} rows/s`,
    );
    if (e.rows !== big.records || r.rows !== big.records || e.bytes !== r.bytes) {
      throw new Error(
        `${backend}: export ${e.rows} rows / ${e.bytes} bytes, bare ${r.rows} rows / ${r.bytes} bytes: not the same output`,
      );
    }
  }
  const exportRate = median(runs.map((r) => rate(r.pass)));
  const refRate = median(refs.map(rate));
  const growth = Math.max(...runs.map((r) => r.rssGrowth));
  const cpu = median(runs.map((r) => r.cpuSeconds));
  const size = mb(runs[0]?.pass.bytes ?? 0);
  const reference = backend === "sqlite" ? "better-sqlite3 .iterate()" : `pg cursor, FETCH ${count(FETCH)}`;
  return [
    {
      benchmark: `GET /export/scans, ${count(big.records)} scans, NDJSON`,
      backend,
      measured: `${count(Math.round(exportRate))} rows/s (${fmt(size, 0)} MB, same bytes as the reference; server CPU ${fmt(cpu, 1)} s)`,
      reference: `${count(Math.round(refRate))} rows/s (${reference}, same JSON lines)`,
      ...atLeast(exportRate / refRate, RATE_TARGET),
    },
    {
      benchmark: "GET /export/scans, server RSS growth",
      backend,
      measured: `${fmt(mb(growth), 1)} MB (peak VmRSS over its level before, worst of ${opts.rounds})`,
      reference: `${RSS_TARGET_MB} MB budget`,
      ...atMost(mb(growth) / RSS_TARGET_MB, 1),
    },
  ] satisfies ResultRow[];
}

export async function exportThroughput(backend: Backend, opts: ExportOptions): Promise<ResultRow[]> {
  const plan = seedPlan(opts.records);
  return withServer(
    backend,
    "export",
    (server, db) => exportRows(backend, server, db, opts),
    (db) => timed(`seeding ${backend}: ${count(totalRecords(plan))} scans`, () => db.seed(plan)),
  );
}

/** Where the export's section of bench/RESULTS.md starts, and BENCH_ONLY's name for it. */
export const EXPORT_SECTION: Section = { name: "export", heading: "## Export (GET /export/scans)" };

/** The export's section of bench/RESULTS.md: its table and how it was measured. */
export function exportSection(
  rows: ResultRow[],
  run: { command: string; records: number; rounds: number },
): string {
  return sectionText(
    EXPORT_SECTION,
    `Produced by \`${run.command}\` on ${new Date().toISOString()} (BENCH_ONLY=export rewrites this
section alone).

${markdownTable(rows)}

- **GET /export/scans**: the NDJSON export of one event of ${count(run.records)} scans (the
  stats benchmark's seed: 30 days, no metadata; the database holds ~100,000 more scans of
  other events) through the real server in a child process, read to its end by fetch in the
  bench process, with the reader's token. Reference: the same rows read in the bench
  process by a bare driver query, each turned into the same JSON line and encoded in
  chunks of ${count(FETCH)} rows: SQLite, better-sqlite3 \`.iterate()\` of one \`SELECT ... ORDER BY
  scan_timestamp, id\` on the same file; Postgres, node-postgres FETCHing ${count(FETCH)} rows at a
  time from a server-side cursor (\`DECLARE ... NO SCROLL CURSOR\` in a transaction). The
  two outputs must be the same size to the byte, and are. After a warm-up (an export of the
  1,000-scan event, one bare read), ${run.rounds} rounds of reference then export; shown are the medians
  (rows/s) and the ratio of the medians. Server CPU: user + system time of the server
  process during one export (median), from /proc/<pid>/stat.
- **server RSS growth**: the server's VmRSS (/proc/<pid>/status) sampled every 10 ms during
  each export; shown is the highest peak over the level just before the export, of all rounds.`,
  );
}
