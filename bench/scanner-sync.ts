// Figures of the gate device (scanner-sync), each against a reference in the same run:
// - ScanBuffer.record latency (p50, p99) vs a bare better-sqlite3 autocommit INSERT of a
//   comparable row, same pragmas (WAL, synchronous = FULL), the two called in turn;
// - draining N buffered scans through POST /sync (Uploader, batches of 1000) into a fresh
//   Postgres database vs psql's \copy of the same rows into a database migrated the same
//   way, and into a SQLite file vs one better-sqlite3 transaction of the same rows. Each
//   reference runs once before and once after the drain (fresh database each time); the
//   figure uses their mean. GET /stats?event_id must then count exactly the N scans.
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import { uuidv7 } from "uuidv7";
import { ScanBuffer, Uploader } from "../scanner-sync/src/index.js";
import { nodePgStore } from "../src/store/pg/node-pg.js";
import { betterSqliteStore, openBetterSqlite } from "../src/store/sqlite/embedded/store.js";
import { scannerToken } from "./support/auth.js";
import { type Backend, withServer } from "./support/backends.js";
import {
  benchScan,
  DRAIN_EVENT,
  DRAIN_SCANNER,
  type DrainData,
  fillDrainData,
  SCAN_COLUMNS,
  WARMUP_RECORDS,
  WARMUP_SCANNER,
} from "./support/drain-data.js";
import { getJson, summarise } from "./support/latency.js";
import { createBenchDatabase } from "./support/postgres.js";
import { note } from "./support/progress.js";
import { psqlCopy, psqlStartup } from "./support/psql.js";
import { atLeast, fmt, type ResultRow } from "./support/results.js";
import { tempSqliteFile } from "./support/sqlite-file.js";

const DRAIN_TARGET = 0.5;
const count = (n: number) => n.toLocaleString("en-US");
/** Milliseconds with three significant-ish digits (record latencies are well under 1 ms on fast disks). */
const msec = (n: number) => `${n < 1 ? n.toFixed(3) : n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// --- ScanBuffer.record latency -------------------------------------------------------

export interface RecordOptions {
  /** Timed records of each side, after `warmup` untimed ones. */
  samples: number;
  warmup: number;
}

/** A table of the device's item rows (uuid unique, JSON item), without the buffer's lookup indexes. */
const BARE_TABLE = `CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  event_id TEXT,
  ticket_id TEXT,
  happened_at TEXT NOT NULL,
  item TEXT NOT NULL,
  recorded_at TEXT NOT NULL
)`;

export async function recordLatency(opts: RecordOptions): Promise<ResultRow[]> {
  const total = opts.warmup + opts.samples;
  note(`ScanBuffer.record vs bare INSERT: ${opts.warmup} + ${opts.samples} records each, in turn`);
  const bufferFile = tempSqliteFile("record");
  const bareFile = tempSqliteFile("record-bare");
  const buffer = ScanBuffer.open({ path: bufferFile.path, scannerId: "gate-bench-rec" });
  const bare = new Database(bareFile.path);
  try {
    bare.pragma("journal_mode = WAL");
    bare.pragma("synchronous = FULL");
    bare.exec(BARE_TABLE);
    const insert = bare.prepare(
      `INSERT INTO outbox (uuid, kind, event_id, ticket_id, happened_at, item, recorded_at)
       VALUES (@uuid, 'scan', @event_id, @ticket_id, @happened_at, @item, @recorded_at)`,
    );
    // The reference's rows are ready before timing: it is the insert alone.
    const recordedAt = new Date().toISOString();
    const bareRows = Array.from({ length: total }, (_, n) => {
      const scan = benchScan(n, "bench-record");
      const uuid = uuidv7();
      const item = { uuid, ...scan, scanner_id: "gate-bench-rec" };
      return {
        uuid,
        event_id: scan.event_id,
        ticket_id: scan.ticket_id,
        happened_at: scan.scan_timestamp as string,
        item: JSON.stringify(item),
        recorded_at: recordedAt,
      };
    });
    const inputs = Array.from({ length: total }, (_, n) => benchScan(n, "bench-record"));
    const times = { record: [] as number[], bare: [] as number[] };
    const timeRecord = (n: number) => {
      const t = performance.now();
      buffer.record(inputs[n] as (typeof inputs)[number]);
      return performance.now() - t;
    };
    const timeBare = (n: number) => {
      const t = performance.now();
      insert.run(bareRows[n]);
      return performance.now() - t;
    };
    for (let n = 0; n < total; n++) {
      // Alternate which goes first, so neither always runs right after the other's fsync.
      let rec: number;
      let ref: number;
      if (n % 2 === 0) {
        rec = timeRecord(n);
        ref = timeBare(n);
      } else {
        ref = timeBare(n);
        rec = timeRecord(n);
      }
      if (n < opts.warmup) continue;
      times.record.push(rec);
      times.bare.push(ref);
    }
    const rec = summarise(times.record);
    const ref = summarise(times.bare);
    note(
      `  record p50 ${msec(rec.p50)} p99 ${msec(rec.p99)}; bare p50 ${msec(ref.p50)} p99 ${msec(ref.p99)}`,
    );
    const row = (p: "p50" | "p99"): ResultRow => ({
      benchmark: `ScanBuffer.record, ${p}`,
      backend: "sqlite (device)",
      measured: `${msec(rec[p])} (mean ${msec(rec.mean)})`,
      reference: `${msec(ref[p])} (bare INSERT, mean ${msec(ref.mean)})`,
      ratio: rec[p] / ref[p],
      target: "",
      ok: null,
    });
    return [row("p50"), row("p99")];
  } finally {
    buffer.close();
    bare.close();
    bufferFile.remove();
    bareFile.remove();
  }
}

// --- Drain through POST /sync --------------------------------------------------------

export interface DrainOptions {
  /** Scans buffered and drained (BENCH_DRAIN_RECORDS). */
  records: number;
  batchSize: number;
}

interface Drained {
  ms: number;
  batches: number;
  /** GET /stats?event_id answered exactly the drained counts. */
  exact: boolean;
  stats: string;
}

/**
 * Drains a fresh copy of the filled buffer into the server at `url`, then checks its stats.
 * Before the clock starts, another device drains a few thousand scans of another event
 * into the same server: a freshly started process would otherwise time its own JIT
 * compilation and first connections (as the other benchmarks, this measures it warm).
 */
async function timedDrain(data: DrainData, url: string, batchSize: number, label: string): Promise<Drained> {
  const warm = data.openWarmup(label);
  try {
    const token = await scannerToken(WARMUP_SCANNER);
    const w = await new Uploader({ buffer: warm, url, batchSize, token }).drain();
    if (w.accepted !== WARMUP_RECORDS) throw new Error(`warm-up drain into ${label}: ${JSON.stringify(w)}`);
  } finally {
    warm.close();
  }
  const buffer = data.openCopy(label);
  let ms: number;
  let batches: number;
  try {
    // No onEvent: the uploader then counts the backlog once more per batch for it.
    const uploader = new Uploader({ buffer, url, batchSize, token: await scannerToken(DRAIN_SCANNER) });
    const start = performance.now();
    const r = await uploader.drain();
    ms = performance.now() - start;
    batches = r.batches;
    if (r.accepted !== data.records || r.rejected !== 0 || r.duplicates !== 0 || r.pending !== 0) {
      throw new Error(`drain into ${label}: ${JSON.stringify(r)}, expected ${data.records} accepted`);
    }
  } finally {
    buffer.close();
  }
  const s = await getJson<{ scan_count: number; valid_scan_count: number; invalid_scan_count: number }>(
    `${url}/stats?event_id=${DRAIN_EVENT}`,
  );
  const exact =
    s.scan_count === data.records &&
    s.valid_scan_count === data.valid &&
    s.invalid_scan_count === data.records - data.valid;
  const stats = exact
    ? `GET /stats: ${count(s.scan_count)}, exact`
    : `GET /stats: ${count(s.scan_count)} (${count(s.valid_scan_count)} valid), expected ${count(data.records)} (${count(data.valid)}): NOT exact`;
  note(
    `  drained ${count(data.records)} scans in ${secs(ms)} (${r0(data.records / (ms / 1000))} scans/s); ${stats}`,
  );
  return { ms, batches, exact, stats };
}

const r0 = (n: number) => Math.round(n).toLocaleString("en-US");

async function countRows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM ticket_scans");
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

/** psql \copy of the items into ticket_scans of a fresh, migrated database; ms incl. psql start-up. */
async function copyOnce(data: DrainData, label: string, startup?: { ms: number }): Promise<number> {
  const db = await createBenchDatabase(label);
  try {
    await (await nodePgStore({ url: db.url, max: 1 })).close();
    if (startup) startup.ms = await psqlStartup(db.url);
    const ms = await psqlCopy(db.url, "ticket_scans", SCAN_COLUMNS, data.csvPath());
    const n = await countRows(db.url);
    if (n !== data.records) throw new Error(`COPY stored ${n} rows, expected ${data.records}`);
    note(`  psql \\copy of ${count(data.records)} rows: ${secs(ms)}`);
    return ms;
  } finally {
    await db.drop();
  }
}

/** One better-sqlite3 transaction of the items into ticket_scans of a fresh, migrated file. */
async function bareSqliteOnce(data: DrainData, rows: unknown[][]): Promise<number> {
  const file = tempSqliteFile("drain-bare");
  try {
    await (await betterSqliteStore({ path: file.path })).close();
    // The server's own pragmas (WAL, synchronous = FULL, busy_timeout, foreign_keys).
    const db = openBetterSqlite(file.path);
    try {
      const insert = db.prepare(
        `INSERT INTO ticket_scans (${SCAN_COLUMNS.join(", ")}) VALUES (${SCAN_COLUMNS.map(() => "?").join(", ")})`,
      );
      const start = performance.now();
      db.transaction(() => {
        for (const row of rows) insert.run(row);
      })();
      const ms = performance.now() - start;
      const { n } = db.prepare("SELECT count(*) AS n FROM ticket_scans").get() as { n: number };
      if (n !== data.records) throw new Error(`bare insert stored ${n} rows, expected ${data.records}`);
      note(`  bare better-sqlite3 transaction of ${count(data.records)} rows: ${secs(ms)}`);
      return ms;
    } finally {
      db.close();
    }
  } finally {
    file.remove();
  }
}

function drainRow(
  backend: Backend,
  data: DrainData,
  drained: Drained,
  refMs: number[],
  reference: string,
  batchSize: number,
): ResultRow {
  const ref = refMs.reduce((a, b) => a + b, 0) / refMs.length;
  const verdict = atLeast(ref / drained.ms, DRAIN_TARGET);
  return {
    benchmark: `drain ${count(data.records)} scans, POST /sync, ${batchSize}/batch`,
    backend,
    measured: `${secs(drained.ms)}, ${r0(data.records / (drained.ms / 1000))} scans/s; ${drained.stats}`,
    reference: `${secs(ref)} ${reference}`,
    ...verdict,
    // A count that is not exact fails the figure whatever the speed.
    ok: verdict.ok && drained.exact,
  };
}

export async function drainThroughput(backends: Backend[], opts: DrainOptions): Promise<ResultRow[]> {
  note(`drain: buffering ${count(opts.records)} scans on the device`);
  const data = fillDrainData(opts.records);
  const rows: ResultRow[] = [];
  try {
    for (const backend of backends) {
      if (backend === "sqlite") {
        note(`drain into SQLite vs one bare better-sqlite3 transaction (before and after)`);
        const encoded = data.sqliteRows();
        const before = await bareSqliteOnce(data, encoded);
        const drained = await withServer("sqlite", "drain", (server) =>
          timedDrain(data, server.url, opts.batchSize, "sqlite"),
        );
        const after = await bareSqliteOnce(data, encoded);
        rows.push(
          drainRow(
            "sqlite",
            data,
            drained,
            [before, after],
            "(one better-sqlite3 transaction, mean of 2)",
            opts.batchSize,
          ),
        );
      } else {
        note(`drain into Postgres vs psql \\copy (before and after)`);
        const startup = { ms: Number.NaN };
        const before = await copyOnce(data, "copy_a", startup);
        const drained = await withServer("postgres", "drain", (server) =>
          timedDrain(data, server.url, opts.batchSize, "postgres"),
        );
        const after = await copyOnce(data, "copy_b");
        rows.push(
          drainRow(
            "postgres",
            data,
            drained,
            [before, after],
            `(psql \\copy, mean of 2, incl. ~${Math.round(startup.ms)} ms psql start-up)`,
            opts.batchSize,
          ),
        );
      }
      const last = rows.at(-1);
      if (last) note(`  ratio ${fmt(last.ratio ?? Number.NaN)} (target >= ${fmt(DRAIN_TARGET)})`);
    }
  } finally {
    data.remove();
  }
  return rows;
}
