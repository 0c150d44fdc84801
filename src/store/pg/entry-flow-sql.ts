// The entry-flow aggregates in Postgres: more CTEs of a kind's batch statement, reading
// `ins` (the rows it stored), so they change in the same statement as the records and only
// for rows actually inserted. ../entry-flow.ts says how a first entry moves.

import type { Kind } from "../columns.js";
import {
  attemptDeltas,
  deltasUpsert,
  doubleEntryDeltas,
  entryDeltas,
  type FlowTable,
  SCAN_FIELD_SOURCES,
  SCAN_FIELDS,
  TICKET_ENTRY_COLUMNS,
  TICKET_ENTRY_RETURNING,
  ticketEntryConflict,
  transferDeltas,
} from "../entry-flow.js";
import { burstDeltas, transferTicketRows, transferTicketsUpsert } from "../signals.js";

/** Columns of `ins` the CTEs below read, beyond id, uuid, event_id, own time and flags. */
export const FLOW_RETURNING: Record<Kind, string[]> = {
  scans: ["ticket_id", "location", "scanner_id", "received_at"],
  transfers: ["ticket_id", "transfer_reason", "from_user_id", "to_user_id"],
  invalidAttempts: ["ticket_id", "ip_address", "reason"],
};

/** A CTE of the table's increments from `d`. */
const fromDeltas = (name: string, table: FlowTable): string => `${name} AS (${deltasUpsert("pg", table)})`;

/** A scan's fields as ticket_entries keeps them (SCAN_FIELDS), of `ins`'s row or the next one in `w`. */
const scanFields = (prefix: string, of: (expr: string) => string) =>
  SCAN_FIELD_SOURCES.map((expr, i) => `${of(expr)} AS ${prefix}_${SCAN_FIELDS[i]}`).join(", ");

const SCANS = [
  // This batch's valid scans per ticket: how many, and the earliest two (own time, then uuid).
  // DISTINCT ON, not a filter on row_number(): the planner then expects a row per ticket,
  // not a handful, and joins te to tk by hash (a nested loop was quadratic in the batch).
  `tk AS (SELECT DISTINCT ON (event_id, ticket_id) event_id, ticket_id, ${scanFields("first", (e) => e)}, ` +
    `${scanFields("second", (e) => `lead(${e}) OVER w`)}, count(*) OVER (PARTITION BY event_id, ticket_id) AS n ` +
    "FROM ins WHERE is_valid " +
    'WINDOW w AS (PARTITION BY event_id, ticket_id ORDER BY scan_timestamp, uuid COLLATE "C") ' +
    'ORDER BY event_id, ticket_id, scan_timestamp, uuid COLLATE "C")',
  `te AS (INSERT INTO ticket_entries (${TICKET_ENTRY_COLUMNS}) ` +
    `SELECT ${TICKET_ENTRY_COLUMNS.replace("valid_scans", "n")} FROM tk ORDER BY event_id, ticket_id ` +
    `${ticketEntryConflict("pg")} RETURNING ${TICKET_ENTRY_RETURNING})`,
  // The batch's tickets as their upsert left them, with the batch's valid scans of each.
  "tn AS (SELECT te.*, tk.n FROM te JOIN tk USING (event_id, ticket_id))",
  `d AS (${entryDeltas("pg", "ins", "tn")})`,
  fromDeltas("gm", "gate_minutes"),
  fromDeltas("em", "event_minutes"),
  fromDeltas("gs", "gate_scanners"),
  `de AS (${deltasUpsert("pg", "event_signals", `(${doubleEntryDeltas("tn")}) x`)})`,
  ...bursts("scans"),
];

/** CTEs of the burst tables' increments from the batch's invalid records. */
function bursts(kind: "scans" | "invalidAttempts"): string[] {
  return [
    `b AS (${burstDeltas("pg", kind, "ins")})`,
    `bk AS (${deltasUpsert("pg", "burst_keys", "b")})`,
    `br AS (${deltasUpsert("pg", "burst_reasons", "b")})`,
  ];
}

const TRANSFERS = [
  `d AS (${transferDeltas("pg", "ins")})`,
  fromDeltas("tr", "transfer_reasons"),
  `tt AS (${transferTicketsUpsert("pg", transferTicketRows("pg"))})`,
];

const ATTEMPTS = [
  `d AS (${attemptDeltas("pg", "ins")})`,
  fromDeltas("em", "event_minutes"),
  ...bursts("invalidAttempts"),
];

/** The kind's aggregate CTEs (entry flow, transfers), to follow the statement's `ins`. */
export function flowCtes(kind: Kind): string {
  const ctes = { scans: SCANS, transfers: TRANSFERS, invalidAttempts: ATTEMPTS }[kind];
  return ctes.map((cte) => `, ${cte}`).join("");
}
