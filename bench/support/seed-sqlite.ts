// Seeds a SQLite file directly in SQL (a recursive CTE per group), bypassing HTTP. The
// migrations are applied first through the project's own store, as the server would.
import Database from "better-sqlite3";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import { aggregateBackfills } from "./backfill.js";
import {
  type EntryFlowPlan,
  type FlowEvent,
  flowEvents,
  RAW_COUNTS,
  type RawCounts,
  rawCounts,
  SHARED_COLUMNS,
  SPAN_MS,
  shapedScans,
} from "./entry-flow-plan.js";
import { BASE_MS, DAY_MS, literal, perEvent, type SeedGroup, type SeedPlan } from "./seed-plan.js";

function eventExpr(g: SeedGroup): string {
  return "id" in g.event
    ? literal(g.event.id)
    : `${literal(g.event.prefix)} || printf('%04d', n / ${perEvent(g)})`;
}

function insertGroup(g: SeedGroup): string {
  return (
    "INSERT INTO ticket_scans (uuid, ticket_id, event_id, scanner_id, scan_timestamp, is_valid, location, device_info) " +
    `WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ${g.records}) ` +
    `SELECT printf('00000000-0000-7000-8000-%012x', ${g.offset} + n), 'T-' || (${g.offset} + n), ${eventExpr(g)}, ` +
    `'gate-' || (n % 16), ${BASE_MS} + (n % ${g.days}) * ${DAY_MS} + (n * 7919) % ${DAY_MS}, ` +
    "(n % 47) <> 0, 'Gate ' || (n % 8), 'bench-seed' FROM seq"
  );
}

const STATS_FROM_ROWS =
  "INSERT INTO analytics_stats (event_id, stat_date, scan_count, valid_scan_count, invalid_scan_count, updated_at) " +
  "SELECT event_id, strftime('%Y-%m-%d', scan_timestamp / 1000, 'unixepoch'), count(*), sum(is_valid), " +
  "sum(1 - is_valid), max(received_at) FROM ticket_scans GROUP BY 1, 2";

/** The seeding statements: the same SQL seeds a D1 database (bench/worker.ts). */
export function sqliteSeedStatements(plan: SeedPlan): string[] {
  return [...plan.groups.map(insertGroup), STATS_FROM_ROWS];
}

export async function seedSqlite(path: string, plan: SeedPlan): Promise<void> {
  await (await betterSqliteStore({ path })).close();
  const db = new Database(path);
  try {
    // Seeding only: a crash here just means re-running the bench.
    db.pragma("synchronous = OFF");
    db.transaction(() => {
      for (const statement of sqliteSeedStatements(plan)) db.exec(statement);
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

function insertFlow(e: FlowEvent, startMs: number): string {
  const seq = `seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ${e.scans})`;
  return (
    "INSERT INTO ticket_scans (uuid, ticket_id, event_id, scanner_id, scan_timestamp, is_valid, location, device_info) " +
    `WITH RECURSIVE ${seq} ` +
    `SELECT printf('00000000-0000-7000-8000-%012x', ${e.offset} + n), ${SHARED_COLUMNS.ticket}, ${literal(e.id)}, ` +
    `${SHARED_COLUMNS.scanner}, ${startMs} + at_ms, valid, ${SHARED_COLUMNS.location}, 'bench-seed' ` +
    `FROM (${shapedScans(e, "seq")})`
  );
}

/** The entry-flow plan's scans, their stats and the migration's backfill of the aggregates. */
export async function seedEntryFlowSqlite(
  path: string,
  plan: EntryFlowPlan,
): Promise<Map<string, RawCounts>> {
  await (await betterSqliteStore({ path })).close();
  const db = new Database(path);
  try {
    db.pragma("synchronous = OFF");
    db.transaction(() => {
      for (const e of flowEvents(plan)) db.exec(insertFlow(e, plan.endMs - SPAN_MS));
      db.exec(STATS_FROM_ROWS);
      for (const statement of aggregateBackfills("sqlite")) db.exec(statement);
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
    return rawCounts(db.prepare(RAW_COUNTS).all() as Record<string, unknown>[]);
  } finally {
    db.close();
  }
}
