// The entry-flow aggregates in Postgres: more CTEs of a kind's batch statement, reading
// `ins` (the rows it stored), so they change in the same statement as the records and only
// for rows actually inserted. ../entry-flow.ts says how a first entry moves.

import type { Kind } from "../columns.js";
import {
  deltasUpsert,
  type FlowTable,
  minuteOf,
  msOf,
  NO_KEY,
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

const minute = (column: string) => minuteOf(msOf("pg", column));
const key = (column: string) => `coalesce(${column}, '${NO_KEY}')`;

/** A CTE of the table's increments from `d`. */
const fromDeltas = (name: string, table: FlowTable): string => `${name} AS (${deltasUpsert("pg", table)})`;

/** A scan's fields as ticket_entries keeps them (SCAN_FIELDS), of `ins`'s row or the next one in `w`. */
const scanFields = (prefix: string, of: (expr: string) => string) =>
  ["scan_timestamp", "uuid", key("location"), key("scanner_id"), "received_at"]
    .map((expr, i) => `${of(expr)} AS ${prefix}_${SCAN_FIELDS[i]}`)
    .join(", ");

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
  // Every change to the minute, gate and scanner figures: each scan stored, each first entry
  // that came on (a new ticket: its count is this batch's alone; or an earlier scan), and
  // each that came off. An entry's row carries its scan's time as a scan seen there.
  "d AS (" +
    [
      `SELECT event_id, ${key("location")} AS location, ${key("scanner_id")} AS scanner_id, ` +
        `${minute("scan_timestamp")} AS minute, 0 AS entries, CASE WHEN is_valid THEN 1 ELSE 0 END AS valid_scans, ` +
        "CASE WHEN is_valid THEN 0 ELSE 1 END AS invalid_scans, 0 AS invalid_attempts, scan_timestamp AS last_scan_at FROM ins",
      `SELECT te.event_id, te.first_location, te.first_scanner_id, ${minute("te.first_at")}, 1, 0, 0, 0, te.first_at ` +
        "FROM te JOIN tk USING (event_id, ticket_id) WHERE te.valid_scans = tk.n OR te.moved_from_at IS NOT NULL",
      `SELECT event_id, moved_from_location, moved_from_scanner_id, ${minute("moved_from_at")}, -1, 0, 0, 0, moved_from_at ` +
        "FROM te WHERE moved_from_at IS NOT NULL",
    ].join(" UNION ALL ") +
    ")",
  fromDeltas("gm", "gate_minutes"),
  fromDeltas("em", "event_minutes"),
  fromDeltas("gs", "gate_scanners"),
  // A ticket whose valid scans reached two now is one more double entry.
  `de AS (${deltasUpsert(
    "pg",
    "event_signals",
    "(SELECT te.event_id, 1 AS double_entries FROM te JOIN tk USING (event_id, ticket_id) " +
      "WHERE te.valid_scans >= 2 AND te.valid_scans - tk.n < 2) x",
  )})`,
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
  // An invalid attempt has no gate; those naming an event count in its minute.
  `d AS (SELECT event_id, ${minute("attempt_timestamp")} AS minute, 0 AS entries, 0 AS valid_scans, ` +
    "0 AS invalid_scans, 1 AS invalid_attempts FROM ins WHERE event_id IS NOT NULL)",
  fromDeltas("em", "event_minutes"),
  ...bursts("invalidAttempts"),
];

/** The kind's aggregate CTEs (entry flow, transfers), to follow the statement's `ins`. */
export function flowCtes(kind: Kind): string {
  const ctes = { scans: SCANS, transfers: TRANSFERS, invalidAttempts: ATTEMPTS }[kind];
  return ctes.map((cte) => `, ${cte}`).join("");
}
