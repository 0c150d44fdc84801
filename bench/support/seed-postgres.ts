// Seeds a Postgres database directly in SQL (generate_series per group), bypassing HTTP.
// The migrations are applied first through the project's own store, as the server would.
import { nodePgStore } from "../../src/store/pg/node-pg.js";
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
import { querySql, runSql } from "./postgres.js";
import { BASE_MS, literal, perEvent, type SeedGroup, type SeedPlan } from "./seed-plan.js";

function eventExpr(g: SeedGroup): string {
  return "id" in g.event
    ? literal(g.event.id)
    : `${literal(g.event.prefix)} || lpad((n / ${perEvent(g)})::text, 4, '0')`;
}

function insertGroup(g: SeedGroup): string {
  const base = `'${new Date(BASE_MS).toISOString()}'::timestamptz`;
  return (
    "INSERT INTO ticket_scans (uuid, ticket_id, event_id, scanner_id, scan_timestamp, is_valid, location, device_info) " +
    `SELECT '00000000-0000-7000-8000-' || lpad(to_hex(${g.offset} + n), 12, '0'), 'T-' || (${g.offset} + n), ` +
    `${eventExpr(g)}, 'gate-' || (n % 16), ` +
    `${base} + (n % ${g.days}) * interval '1 day' + ((n::bigint * 7919) % 86400000) * interval '1 millisecond', ` +
    `(n % 47) <> 0, 'Gate ' || (n % 8), 'bench-seed' FROM generate_series(0, ${g.records - 1}) AS n`
  );
}

const STATS_FROM_ROWS =
  "INSERT INTO analytics_stats (event_id, stat_date, scan_count, valid_scan_count, invalid_scan_count, updated_at) " +
  "SELECT event_id, (scan_timestamp AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE is_valid), " +
  "count(*) FILTER (WHERE NOT is_valid), max(received_at) FROM ticket_scans GROUP BY 1, 2";

export async function seedPostgres(url: string, plan: SeedPlan): Promise<void> {
  await (await nodePgStore({ url, max: 1 })).close();
  await runSql(url, [
    "SET synchronous_commit = off",
    "BEGIN",
    ...plan.groups.map(insertGroup),
    STATS_FROM_ROWS,
    "COMMIT",
    // What autovacuum would do shortly after a bulk load.
    "VACUUM ANALYZE",
  ]);
}

function insertFlow(e: FlowEvent, startMs: number): string {
  const start = `'${new Date(startMs).toISOString()}'::timestamptz`;
  const scans = shapedScans(e, `generate_series(0::bigint, ${e.scans - 1}) AS g(n)`);
  return (
    "INSERT INTO ticket_scans (uuid, ticket_id, event_id, scanner_id, scan_timestamp, is_valid, location, device_info) " +
    `SELECT '00000000-0000-7000-8000-' || lpad(to_hex(${e.offset} + n), 12, '0'), ${SHARED_COLUMNS.ticket}, ` +
    `${literal(e.id)}, ${SHARED_COLUMNS.scanner}, ${start} + at_ms * interval '1 millisecond', valid, ` +
    `${SHARED_COLUMNS.location}, 'bench-seed' FROM (${scans}) AS s`
  );
}

/** The entry-flow plan's scans, their stats and the migration's backfill of the aggregates. */
export async function seedEntryFlowPostgres(
  url: string,
  plan: EntryFlowPlan,
): Promise<Map<string, RawCounts>> {
  await (await nodePgStore({ url, max: 1 })).close();
  await runSql(url, [
    "SET synchronous_commit = off",
    "BEGIN",
    ...flowEvents(plan).map((e) => insertFlow(e, plan.endMs - SPAN_MS)),
    STATS_FROM_ROWS,
    ...aggregateBackfills("pg"),
    "COMMIT",
    "VACUUM ANALYZE",
  ]);
  return rawCounts(await querySql(url, RAW_COUNTS));
}
