// Batch SQL for Postgres (node-postgres and Neon). One statement per kind: the batch is
// one jsonb parameter, an array of rows, each an array of values in KINDS column order;
// the insert's RETURNING feeds the stats upsert and the entry-flow aggregates
// (./entry-flow-sql.ts) in the same statement, so only rows actually inserted are
// counted, exactly, whatever runs concurrently.
import { type SQL, sql } from "drizzle-orm";
import {
  type ColumnType,
  counterExpressions,
  counterIncrements,
  KINDS,
  type Kind,
  type KindSpec,
} from "../columns.js";
import { FLOW_RETURNING, flowCtes } from "./entry-flow-sql.js";

// Rows as positional arrays in jsonb, read by index: measured 2x cheaper for Postgres
// than json_to_recordset (which looks every field up by name in every row), and smaller.
// Times travel as epoch milliseconds: Postgres turns a number into a timestamptz several
// times faster than it parses ISO text, and JSON.stringify writes a number faster than a Date.
function valueAt(i: number, col: string, type: ColumnType): string {
  if (type === "timestamptz") return `to_timestamp((e->>${i})::float8 / 1000) AS ${col}`;
  if (type === "boolean") return `(e->>${i})::boolean AS ${col}`;
  if (type === "integer") return `(e->>${i})::bigint AS ${col}`;
  // A missing object is JSON null in the array, SQL NULL in the table.
  if (type === "jsonb") return `nullif(e->${i}, 'null'::jsonb) AS ${col}`;
  return `e->>${i} AS ${col}`;
}

/** A kind's batch statement: its CTEs (the rows are $1), then the SELECT of the outcomes. */
interface BatchSql {
  ctes: string;
  select: string;
}

function build(kind: Kind, spec: KindSpec): BatchSql {
  const names = Object.keys(spec.columns);
  const cols = names.join(", ");
  const input = names.map((c, i) => valueAt(i, c, spec.columns[c] as ColumnType)).join(", ");
  const flags = names.filter((c) => spec.columns[c] === "boolean");
  const returning = ["id", "uuid", "event_id", spec.time, ...flags, ...FLOW_RETURNING[kind]].join(", ");
  const counters = Object.keys(spec.counters).join(", ");
  const ctes =
    // Read once `locked` holds the events' locks (an uncorrelated subquery runs before the
    // first row): nothing below writes before them.
    `input AS (SELECT ${input} FROM jsonb_array_elements($1::jsonb) AS e WHERE (SELECT n FROM locked) >= 0), ` +
    // Sorted keys: concurrent batches lock uuids and stats rows in one global order, so
    // they queue behind each other instead of deadlocking.
    `ins AS (INSERT INTO ${spec.table} (${cols}) SELECT ${cols} FROM input ORDER BY uuid ` +
    `ON CONFLICT (uuid) DO NOTHING RETURNING ${returning}), ` +
    `st AS (INSERT INTO analytics_stats (event_id, stat_date, ${counters}, updated_at) ` +
    `SELECT event_id, (${spec.time} AT TIME ZONE 'UTC')::date, ${counterExpressions(spec).join(", ")}, now() ` +
    "FROM ins WHERE event_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2 " +
    `ON CONFLICT (event_id, stat_date) DO UPDATE SET ${counterIncrements(spec)}, updated_at = excluded.updated_at)` +
    flowCtes(kind);
  const select =
    " SELECT id, uuid, false AS duplicate FROM ins " +
    // The statement's snapshot does not see the rows `ins` wrote: these are older ones.
    // Looked up only when something was not inserted (a one-time filter in the plan).
    `UNION ALL SELECT t.id, t.uuid, true FROM ${spec.table} t JOIN input USING (uuid) ` +
    "WHERE (SELECT count(*) FROM ins) < (SELECT count(*) FROM input)";
  return { ctes, select };
}

const SQL_OF = Object.fromEntries(
  Object.entries(KINDS).map(([k, spec]) => [k, build(k as Kind, spec)]),
) as Record<Kind, BatchSql>;

/** The rows as the batch statement reads them: arrays in column order, times as epoch ms. */
function encodeRows(kind: Kind, rows: readonly object[]): string {
  const columns = Object.entries(KINDS[kind].columns);
  return JSON.stringify(
    rows.map((row) =>
      columns.map(([col, type]) => {
        const v = (row as Record<string, unknown>)[col] ?? null;
        return type === "timestamptz" && v !== null ? (v as Date).getTime() : v;
      }),
    ),
  );
}

/** The first key of the store's advisory locks ("VERI"): the second is an event's hashtext. */
export const EVENT_LOCKS = 0x56455249;

/**
 * A transaction's writes to the events it names, one writer at a time: it takes each
 * event's advisory lock (held to its commit) before it writes anything, all of them in one
 * order (by key) and at once, in its first statement. Two writers of one event could
 * otherwise lock that event's rows in opposite orders: a statement's data-modifying CTEs
 * run in no set order, and a transaction's statements of two kinds (a scans statement and
 * an invalid attempts one, both upserting the stats and minute rows) lock them one after
 * the other. Postgres then breaks the deadlock only after deadlock_timeout (a second), and
 * the store sends the statement again. Writers of one event queued on its stats row anyway.
 */
function eventLocks(events: readonly string[]): SQL {
  const lock = (key: SQL) => sql`pg_advisory_xact_lock(${sql.raw(String(EVENT_LOCKS))}, ${key})`;
  // None (a later statement of the transaction, or records of no event): nothing to take.
  // One (nearly every batch): the lock alone, ~10 µs of Postgres's CPU less than the list.
  if (events.length === 0) return sql.raw("WITH locked AS (SELECT 0 AS n), ");
  if (events.length === 1)
    return sql`WITH locked AS (SELECT count(${lock(sql`hashtext(${events[0]}::text)`)})::int AS n), `;
  return sql`WITH locked AS (SELECT count(${lock(sql.raw("k"))})::int AS n FROM (SELECT DISTINCT hashtext(x) AS k FROM json_array_elements_text(${JSON.stringify(events)}::json) AS x ORDER BY 1) AS keys), `;
}

function statement(
  kind: Kind,
  rows: readonly object[],
  events: readonly string[],
  also: SQL[],
  select: string,
): SQL {
  const [head, tail] = SQL_OF[kind].ctes.split("$1") as [string, string];
  const more = also.map((cte, i) => sql`, ${sql.identifier(`also_${i}`)} AS (${cte})`);
  return sql`${eventLocks(events)}${sql.raw(head)}${encodeRows(kind, rows)}${sql.raw(tail)}${sql.join(more)}${sql.raw(select)}`;
}

/**
 * The batch statement of one kind; rows are (id, uuid, duplicate). `events`: the events it
 * locks before it writes (in a transaction of several statements, the first takes them
 * all, ./store.ts). `also`: as syncStatement's.
 */
export function batchStatement(
  kind: Kind,
  rows: readonly object[],
  events: readonly string[],
  also: SQL[] = [],
): SQL {
  return statement(kind, rows, events, also, SQL_OF[kind].select);
}

/**
 * The batch statement of a sync: `also` are more data-modifying CTEs run by the same
 * statement (they may read `ins`, the rows stored); one row, `stored`, the rows it stored.
 */
export function syncStatement(
  kind: Kind,
  rows: readonly object[],
  events: readonly string[],
  also: SQL[],
): SQL {
  return statement(kind, rows, events, also, " SELECT count(*)::int AS stored FROM ins");
}

/** The events a batch's records name (the locks its transaction takes). */
export const eventsOf = (kinds: readonly (readonly { event_id: string | null }[])[]): string[] => [
  ...new Set(kinds.flatMap((rows) => rows.flatMap((r) => (r.event_id === null ? [] : [r.event_id])))),
];

/** In a batch statement: how many rows it stored (of one event), as an int. */
export const storedCount = (eventId?: string): SQL =>
  eventId === undefined
    ? sql`(SELECT count(*)::int FROM ins)`
    : sql`(SELECT count(*)::int FROM ins WHERE event_id = ${eventId})`;

/** Ids of rows stored under these uuids (those a concurrent writer committed meanwhile). */
export function idsOf(kind: Kind, uuids: string[]): SQL {
  return sql`SELECT id, uuid FROM ${sql.identifier(KINDS[kind].table)} WHERE uuid IN (SELECT json_array_elements_text(${JSON.stringify(uuids)}::json))`;
}
