// The three record kinds as the store's batch SQL sees them, derived from the Drizzle
// tables (./pg/schema.ts; ./sqlite/schema.ts has the same columns, which the store
// contract suite holds it to) and the counters (./counters.ts): which table, which
// columns in which order and read as which type, which column is the record's own time,
// and which counters a stored record adds to. Both dialects' batch SQL is generated from
// this, so a new column in the schemas reaches it with nothing else to edit.
import { type Column, getTableColumns, getTableName } from "drizzle-orm";
import { COUNTER_NAMES, type Counts, type RecordKind, STAT_COUNTERS, type StatCounter } from "./counters.js";
import { invalidAttempts, ticketScans, ticketTransfers } from "./pg/schema.js";

export type Kind = RecordKind;
export type ColumnType = "text" | "integer" | "timestamptz" | "boolean" | "jsonb";

export interface KindSpec {
  table: string;
  /** The record's own time: it decides the UTC day the record counts on. */
  time: string;
  /** The columns a record carries, uuid first: every column but those the server sets. */
  columns: Record<string, ColumnType>;
  /** The analytics_stats counters this kind adds to, and which of its records each counts. */
  counters: Partial<Record<StatCounter, Counts>>;
}

/** Set by the database, never by a record: its id and when it was stored. */
const SERVER_SET = new Set(["id", "received_at"]);

const TYPE_OF: Record<string, ColumnType> = {
  PgText: "text",
  PgInteger: "integer",
  PgBigInt53: "integer",
  PgTimestamp: "timestamptz",
  PgBoolean: "boolean",
  PgJsonb: "jsonb",
};

function columnsOf(table: typeof ticketScans | typeof ticketTransfers | typeof invalidAttempts) {
  const columns: Record<string, ColumnType> = {};
  for (const [name, column] of Object.entries(getTableColumns(table) as Record<string, Column>)) {
    if (SERVER_SET.has(name)) continue;
    const type = TYPE_OF[column.columnType];
    if (!type) throw new Error(`${getTableName(table)}.${name}: no batch SQL for ${column.columnType} yet`);
    columns[name] = type;
  }
  if (Object.keys(columns)[0] !== "uuid") throw new Error(`${getTableName(table)}: uuid must come first`);
  return columns;
}

function kind(k: Kind, table: Parameters<typeof columnsOf>[0], time: string): KindSpec {
  const counters = Object.fromEntries(
    COUNTER_NAMES.filter((c) => STAT_COUNTERS[c].kind === k).map((c) => [c, STAT_COUNTERS[c].counts]),
  );
  return { table: getTableName(table), time, columns: columnsOf(table), counters };
}

export const KINDS: Record<Kind, KindSpec> = {
  scans: kind("scans", ticketScans, "scan_timestamp"),
  transfers: kind("transfers", ticketTransfers, "transfer_timestamp"),
  invalidAttempts: kind("invalidAttempts", invalidAttempts, "attempt_timestamp"),
};

export const KIND_NAMES = Object.keys(KINDS) as Kind[];

/** The counters of a set of records: `count(*)` / `sum(CASE ...)`, valid SQL in both dialects. */
export function counterExpressions(spec: KindSpec): string[] {
  return Object.values(spec.counters).map((counts) =>
    counts === "all"
      ? "count(*)"
      : `sum(CASE WHEN ${counts.is ? "" : "NOT "}${counts.column} THEN 1 ELSE 0 END)`,
  );
}

/** `scan_count = analytics_stats.scan_count + excluded.scan_count, ...` */
export function counterIncrements(spec: KindSpec): string {
  return Object.keys(spec.counters)
    .map((c) => `${c} = analytics_stats.${c} + excluded.${c}`)
    .join(", ");
}
