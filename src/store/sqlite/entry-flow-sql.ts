// The entry-flow aggregates in SQLite (../entry-flow.ts says how a first entry moves).
//
// - D1: statements over the batch's JSON parameter, run in its one batch() after the
//   stats and before the insert, so "not stored yet" (no row under the uuid) still picks
//   the rows the insert will store (flowJsonSql).
// - better-sqlite3: per ticket, its insert if it is new (ticketInsertSql), else its upsert
//   (ticketUpsertSql), then each aggregate
//   row's increments bound as values (flowUpsertSql), counted in JS (./embedded/entry-flow.ts).
import { KINDS, type Kind } from "../columns.js";
import {
  attemptDeltas,
  deltasUpsert,
  doubleEntryDeltas,
  entryDeltas,
  FLOW_TABLES,
  type FlowTable,
  flowUpsert,
  keyOf,
  SCAN_FIELD_SOURCES,
  SCAN_FIELDS,
  TICKET_ENTRY_COLUMNS,
  TICKET_ENTRY_RETURNING,
  ticketEntryConflict,
  transferDeltas,
} from "../entry-flow.js";
import { burstDeltas, transferTicketRows, transferTicketsUpsert } from "../signals.js";

/** A ticket not admitted yet: its row as ticketUpsertSql binds it; changes nothing if there is one. */
export const ticketInsertSql = (): string =>
  `INSERT INTO ticket_entries (${TICKET_ENTRY_COLUMNS}) VALUES (${TICKET_VALUES}) ON CONFLICT DO NOTHING`;

const TICKET_VALUES = TICKET_ENTRY_COLUMNS.split(",")
  .map(() => "?")
  .join(", ");

/**
 * One ticket's valid scans of a batch, in TICKET_ENTRY_COLUMNS order: event, ticket, the
 * earliest's time, uuid, gate, scanner, how many, its receive time, then the second
 * earliest's SCAN_FIELDS (nulls if the batch has one).
 */
export const ticketUpsertSql = (): string =>
  `INSERT INTO ticket_entries (${TICKET_ENTRY_COLUMNS}) VALUES (${TICKET_VALUES}) ` +
  `${ticketEntryConflict("sqlite")} RETURNING ${TICKET_ENTRY_RETURNING}`;

/** One aggregate row's increments: its key, then its values, in FLOW_TABLES order. */
export function flowUpsertSql(table: Exclude<FlowTable, "transfer_tickets">): string {
  const { key: keys, values } = FLOW_TABLES[table];
  const upsert = flowUpsert("sqlite", table, values);
  return `${upsert.into} VALUES (${[...keys, ...values].map(() => "?").join(", ")}) ${upsert.conflict}`;
}

// --- D1 ------------------------------------------------------------------------------

/** The table's increments from `d`, as a statement of its own. */
// Every statement returns rows so drivers can run them all the same way.
const fromDeltas = (table: FlowTable): string => `${deltasUpsert("sqlite", table)} RETURNING 0 AS id`;

/**
 * The batch's rows not stored yet, as a subquery over its JSON parameter (`?`): each row's
 * columns, then its receive time (../batch-sql.ts, jsonBatchStatements).
 */
function fresh(kind: Kind): string {
  const spec = KINDS[kind];
  const cols = [...Object.keys(spec.columns), "received_at"];
  const input = `SELECT ${cols.map((c, i) => `value->>${i} AS ${c}`).join(", ")} FROM json_each(?)`;
  return `(SELECT * FROM (${input}) AS i WHERE NOT EXISTS (SELECT 1 FROM ${spec.table} t WHERE t.uuid = i.uuid))`;
}

function scanStatements(): string[] {
  const f = fresh("scans");
  const tickets =
    `INSERT INTO ticket_entries (${TICKET_ENTRY_COLUMNS}) ` +
    `SELECT event_id, ticket_id, scan_timestamp, uuid, ${keyOf("location")}, ${keyOf("scanner_id")}, n, received_at, ` +
    `${SCAN_FIELDS.map((name) => `second_${name}`).join(", ")} FROM (` +
    `SELECT *, ${SCAN_FIELD_SOURCES.map((e, i) => `lead(${e}) OVER w AS second_${SCAN_FIELDS[i]}`).join(", ")}, ` +
    "count(*) OVER (PARTITION BY event_id, ticket_id) AS n, row_number() OVER w AS r " +
    `FROM ${f} WHERE is_valid WINDOW w AS (PARTITION BY event_id, ticket_id ORDER BY scan_timestamp, uuid)) ` +
    `WHERE r = 1 ${ticketEntryConflict("sqlite")} RETURNING 0 AS id`;
  // Run after `tickets`: the ticket rows now hold what that upsert made of them.
  const upserted =
    `WITH f AS ${f}, tk AS (SELECT event_id, ticket_id, count(*) AS n FROM f WHERE is_valid GROUP BY 1, 2), ` +
    "te AS (SELECT t.*, tk.n FROM tk JOIN ticket_entries t USING (event_id, ticket_id)), ";
  const deltas = `${upserted}d AS (${entryDeltas("sqlite", "f", "te")}) `;
  const tables: FlowTable[] = ["gate_minutes", "event_minutes", "gate_scanners"];
  const doubles = `${upserted}d AS (${doubleEntryDeltas("te")}) `;
  return [
    tickets,
    ...tables.map((t) => deltas + fromDeltas(t)),
    doubles + fromDeltas("event_signals"),
    ...bursts("scans"),
  ];
}

/** The burst tables' increments from the batch's invalid records. */
function bursts(kind: "scans" | "invalidAttempts"): string[] {
  // `f` once: each statement takes the batch as its one `?` (burstDeltas reads its source twice).
  const d = `WITH f AS ${fresh(kind)}, d AS (${burstDeltas("sqlite", kind, "f")}) `;
  return [d + fromDeltas("burst_keys"), d + fromDeltas("burst_reasons")];
}

function attemptStatements(): string[] {
  const d = `WITH d AS (${attemptDeltas("sqlite", fresh("invalidAttempts"))}) `;
  return [d + fromDeltas("event_minutes"), ...bursts("invalidAttempts")];
}

function transferStatements(): string[] {
  const d = `WITH d AS (${transferDeltas("sqlite", fresh("transfers"))}) `;
  return [
    d + fromDeltas("transfer_reasons"),
    `${d}${transferTicketsUpsert("sqlite", transferTicketRows("sqlite"))} RETURNING 0 AS id`,
  ];
}

/** A kind's aggregate statements for D1 (entry flow, transfers), each with one `?`: the batch as JSON. */
export const flowJsonSql: Record<Kind, string[]> = {
  scans: scanStatements(),
  transfers: transferStatements(),
  invalidAttempts: attemptStatements(),
};
