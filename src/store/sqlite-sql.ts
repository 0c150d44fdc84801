// Batch SQL for SQLite (better-sqlite3 and D1). The whole batch is one JSON parameter
// read with json_each, so a statement binds one value whatever the batch size (D1
// allows 100). SQLite serialises writers, so "not stored yet" checked inside the same
// transaction as the insert is exact.
import { type SQL, sql } from "drizzle-orm";
import { NOW_MS_SQL } from "../db/sqlite.js";
import { counterExpressions, counterIncrements, KINDS, type Kind, type KindSpec } from "./kinds.js";

interface KindSql {
  existing: string;
  stats: string;
  insert: string;
}

function input(spec: KindSpec): string {
  const cols = Object.keys(spec.columns).map((c) => `value->>'${c}' AS ${c}`);
  return `(SELECT ${cols.join(", ")} FROM json_each(?))`;
}

function build(spec: KindSpec): KindSql {
  const cols = Object.keys(spec.columns).join(", ");
  const counters = Object.keys(spec.counters).join(", ");
  const day = `strftime('%Y-%m-%d', i.${spec.time} / 1000, 'unixepoch')`;
  return {
    existing: `SELECT t.id AS id, t.uuid AS uuid FROM json_each(?) j JOIN ${spec.table} t ON t.uuid = j.value->>'uuid'`,
    stats:
      `INSERT INTO analytics_stats (event_id, stat_date, ${counters}, updated_at) ` +
      `SELECT i.event_id, ${day}, ${counterExpressions(spec).join(", ")}, ${NOW_MS_SQL} FROM ${input(spec)} AS i ` +
      `WHERE i.event_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${spec.table} t WHERE t.uuid = i.uuid) ` +
      "GROUP BY 1, 2 " +
      `ON CONFLICT (event_id, stat_date) DO UPDATE SET ${counterIncrements(spec)}, updated_at = excluded.updated_at ` +
      // Every statement returns rows so drivers can run them all the same way.
      "RETURNING id",
    insert:
      `INSERT INTO ${spec.table} (${cols}) SELECT ${cols} FROM ${input(spec)} WHERE true ` +
      "ON CONFLICT (uuid) DO NOTHING RETURNING id, uuid",
  };
}

const SQL_OF = Object.fromEntries(Object.entries(KINDS).map(([k, spec]) => [k, build(spec)])) as Record<
  Kind,
  KindSql
>;

/** Rows as SQLite stores them: times in epoch ms, booleans 0/1, metadata as JSON text. */
export function encodeRows(kind: Kind, rows: readonly { uuid: string }[]): string {
  const types = KINDS[kind].columns;
  return JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [col, type] of Object.entries(types)) {
        const v = (row as unknown as Record<string, unknown>)[col];
        if (v === null || v === undefined) out[col] = null;
        else if (type === "timestamptz") out[col] = (v as Date).getTime();
        else if (type === "boolean") out[col] = v ? 1 : 0;
        else if (type === "jsonb") out[col] = JSON.stringify(v);
        else out[col] = v;
      }
      return out;
    }),
  );
}

const bind = (text: string, json: string): SQL => {
  const parts = text.split("?");
  return sql.join(
    parts.map((p, i) => (i === 0 ? sql.raw(p) : sql`${json}${sql.raw(p)}`)),
    sql``,
  );
};

/** The three statements of one kind, in the order they must run in one transaction. */
export function batchStatements(kind: Kind, json: string): { existing: SQL; stats: SQL; insert: SQL } {
  const q = SQL_OF[kind];
  return { existing: bind(q.existing, json), stats: bind(q.stats, json), insert: bind(q.insert, json) };
}
