// The entry-flow aggregates (DESIGN.md, "Entry flow and attendance"), and the transfer
// tables kept the same way, as both dialects' batch SQL keeps them: the SQL both share (the
// upserts, and the increments a batch makes, written once). The better-sqlite3 writer turns what a ticket upsert answered
// into counts in JS of its own (./sqlite/embedded/entry-flow.ts).
//
// How a first entry moves without a read-modify-write: the ticket's upsert compares the
// batch's earliest valid scan with the recorded first entry inside ON CONFLICT DO UPDATE,
// on the row it has locked, and writes the entry it displaced into `moved_from_*`. What it
// RETURNs says, per ticket, where an entry comes on (+1) and where one comes off (-1); the
// minute, gate and scanner tables then take those as increments. So concurrent writers,
// replays and any arrival order give the counts of the earliest scan, exactly.

import { chainItem } from "./signals.js";

/** Where a scan's gate or scanner is absent, the aggregates key it as '' (see ./pg/schema.ts). */
export const NO_KEY = "";
/** A key column as answered: '' (absent) is null. */
export const unkey = (v: string): string | null => (v === NO_KEY ? null : v);
/** A gate or scanner column of a record as the aggregates key it: null is ''. */
export const keyOf = (column: string): string => `coalesce(${column}, '${NO_KEY}')`;

export type FlowDialect = "pg" | "sqlite";

/** The epoch ms of a minute's start, of an epoch-ms integer expression (times are never before 1970). */
export const minuteOf = (ms: string): string => `(${ms}) / 60000 * 60000`;

/** A timestamp column as epoch ms, per dialect (SQLite stores ms already). */
export const msOf = (dialect: FlowDialect, column: string): string =>
  dialect === "pg" ? `(extract(epoch FROM ${column}) * 1000)::bigint` : column;

// Ties between two scans of the same time go to the smaller uuid, compared byte by byte as
// SQLite does (uuids are lowercase, but a database collation need not be bytewise).
const uuidOrder = (dialect: FlowDialect) => (dialect === "pg" ? ' COLLATE "C"' : "");

/**
 * The ticket's upsert's ON CONFLICT: one more entry-eligible scan count, the earlier first
 * entry, and the ticket's second valid scan (a double entry's, ../signals.ts). The batch
 * brings its own first two (`excluded.first_*`, `excluded.second_*`, the second null if it
 * has one); the row keeps the earliest two of the four.
 */
export function ticketEntryConflict(dialect: FlowDialect): string {
  const c = uuidOrder(dialect);
  const scan = (side: string, which: string) => `(${side}.${which}_at, ${side}.${which}_uuid${c})`;
  const [o1, o2] = [scan("ticket_entries", "first"), scan("ticket_entries", "second")];
  const [b1, b2] = [scan("excluded", "first"), scan("excluded", "second")];
  const earlier = `${b1} < ${o1}`;
  const moved = (col: string) =>
    `moved_from_${col} = CASE WHEN ${earlier} THEN ticket_entries.first_${col} END`;
  const first = (col: string) =>
    `first_${col} = CASE WHEN ${earlier} THEN excluded.first_${col} ELSE ticket_entries.first_${col} END`;
  // The batch's first comes first: the second is the row's first or the batch's second,
  // whichever is earlier. Else: the batch's first or the row's second.
  const second = (col: string) =>
    `second_${col} = CASE WHEN ${earlier} THEN ` +
    `CASE WHEN excluded.second_at IS NULL OR ${o1} < ${b2} THEN ticket_entries.first_${col} ELSE excluded.second_${col} END ` +
    `ELSE CASE WHEN ticket_entries.second_at IS NULL OR ${b1} < ${o2} THEN excluded.first_${col} ELSE ticket_entries.second_${col} END END`;
  const cols = ["at", "location", "scanner_id"];
  // Every SET expression reads the row as it was before this update.
  return (
    "ON CONFLICT (event_id, ticket_id) DO UPDATE SET " +
    [
      "valid_scans = ticket_entries.valid_scans + excluded.valid_scans",
      ...cols.map(moved),
      ...[...cols, "uuid", "received_at"].map(first),
      ...SCAN_FIELDS.map(second),
    ].join(", ")
  );
}

/**
 * A batch's changes to the minute, gate and scanner figures (the `d` of gate_minutes,
 * event_minutes and gate_scanners): each scan stored (`scans`, rows of ticket_scans), each
 * first entry that came on (a ticket new to the event, all of whose valid scans are this
 * batch's, or an earlier scan) and each that came off (`tickets`: the batch's tickets as
 * their upsert left them, with `n`, the batch's valid scans of the ticket). An entry's row
 * carries its scan's time as a scan seen there.
 */
export function entryDeltas(dialect: FlowDialect, scans: string, tickets: string): string {
  const minute = (column: string) => minuteOf(msOf(dialect, column));
  return [
    `SELECT event_id, ${keyOf("location")} AS location, ${keyOf("scanner_id")} AS scanner_id, ` +
      `${minute("scan_timestamp")} AS minute, 0 AS entries, CASE WHEN is_valid THEN 1 ELSE 0 END AS valid_scans, ` +
      `CASE WHEN is_valid THEN 0 ELSE 1 END AS invalid_scans, 0 AS invalid_attempts, scan_timestamp AS last_scan_at FROM ${scans}`,
    `SELECT event_id, first_location, first_scanner_id, ${minute("first_at")}, 1, 0, 0, 0, first_at ` +
      `FROM ${tickets} WHERE valid_scans = n OR moved_from_at IS NOT NULL`,
    `SELECT event_id, moved_from_location, moved_from_scanner_id, ${minute("moved_from_at")}, -1, 0, 0, 0, moved_from_at ` +
      `FROM ${tickets} WHERE moved_from_at IS NOT NULL`,
  ].join(" UNION ALL ");
}

/** event_signals' `d` of `tickets` (as entryDeltas takes them): a ticket whose valid scans reached two now is one more double entry. */
export const doubleEntryDeltas = (tickets: string): string =>
  `SELECT event_id, 1 AS double_entries FROM ${tickets} WHERE valid_scans >= 2 AND valid_scans - n < 2`;

/** event_minutes' `d` of a batch's invalid attempts (`attempts`): those naming an event count in its minute (they have no gate). */
export const attemptDeltas = (dialect: FlowDialect, attempts: string): string =>
  `SELECT event_id, ${minuteOf(msOf(dialect, "attempt_timestamp"))} AS minute, 0 AS entries, 0 AS valid_scans, ` +
  `0 AS invalid_scans, 1 AS invalid_attempts FROM ${attempts} WHERE event_id IS NOT NULL`;

/** What ticket_entries keeps of each of a ticket's first two valid scans, as `first_*` and `second_*`. */
export const SCAN_FIELDS = ["at", "uuid", "location", "scanner_id", "received_at"] as const;
/** The scan's columns SCAN_FIELDS are of, in their order. */
export const SCAN_FIELD_SOURCES = [
  "scan_timestamp",
  "uuid",
  keyOf("location"),
  keyOf("scanner_id"),
  "received_at",
];

export const TICKET_ENTRY_COLUMNS =
  "event_id, ticket_id, first_at, first_uuid, first_location, first_scanner_id, valid_scans, " +
  `first_received_at, ${SCAN_FIELDS.map((f) => `second_${f}`).join(", ")}`;

/** What a ticket's upsert answers: enough to tell where its entry came on and off. */
export const TICKET_ENTRY_RETURNING =
  "event_id, ticket_id, valid_scans, first_at, first_location, first_scanner_id, " +
  "moved_from_at, moved_from_location, moved_from_scanner_id";

const add = (table: string, cols: string[]) => cols.map((c) => `${c} = ${table}.${c} + excluded.${c}`);

/** The three aggregate tables' upserts: what a row adds, and the key it adds to. */
export const FLOW_TABLES = {
  gate_minutes: {
    key: ["event_id", "location", "scanner_id", "minute"],
    values: ["entries", "valid_scans", "invalid_scans"],
  },
  event_minutes: {
    key: ["event_id", "minute"],
    values: ["entries", "valid_scans", "invalid_scans", "invalid_attempts"],
  },
  gate_scanners: {
    key: ["event_id", "location", "scanner_id"],
    values: ["entries", "valid_scans", "invalid_scans", "last_scan_at"],
  },
  // The transfer tables (GET /stats/transfers/summary), kept the same way from their own
  // `d` (transferDeltas).
  transfer_reasons: { key: ["event_id", "no_reason", "reason"], values: ["successful", "failed"] },
  // transfer_tickets also keeps its chain: ./signals.ts, transferTicketsUpsert.
  // The signals (../signals.ts): double entries per event, and the invalid records per key
  // and minute, in all and per reason.
  event_signals: { key: ["event_id"], values: ["double_entries"] },
  burst_keys: { key: ["event_id", "key_kind", "key", "minute"], values: ["records"] },
  burst_reasons: { key: ["event_id", "key_kind", "key", "minute", "reason"], values: ["records"] },
} as const;
export type FlowTable = keyof typeof FLOW_TABLES;

/** `INSERT INTO t (key..., values...)`, with its `ON CONFLICT ... DO UPDATE` as the second part. */
export function flowUpsert(dialect: FlowDialect, table: FlowTable, values: readonly string[]) {
  const { key } = FLOW_TABLES[table];
  const sets = add(
    table,
    values.filter((v) => v !== "last_scan_at"),
  );
  // The latest scan only grows; both sides are never null (an entry's delta carries its own scan time).
  if (values.includes("last_scan_at"))
    sets.push(
      `last_scan_at = ${dialect === "pg" ? "greatest" : "max"}(${table}.last_scan_at, excluded.last_scan_at)`,
    );
  return {
    into: `INSERT INTO ${table} (${[...key, ...values].join(", ")})`,
    conflict: `ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${sets.join(", ")}`,
  };
}

/**
 * The `d` of a batch's transfers stored (`source`: `ins`, or D1's rows not stored yet): a
 * row each, keyed for both transfer tables, with a successful one's chain item
 * (./signals.ts). No reason is `no_reason = 1, reason = ''`.
 */
export function transferDeltas(dialect: FlowDialect, source: string): string {
  const ok = dialect === "pg" ? "is_successful" : "is_successful = 1";
  return (
    "SELECT event_id, CASE WHEN transfer_reason IS NULL THEN 1 ELSE 0 END AS no_reason, " +
    `coalesce(transfer_reason, '') AS reason, ticket_id, CASE WHEN ${ok} THEN 1 ELSE 0 END AS successful, ` +
    `CASE WHEN ${ok} THEN 0 ELSE 1 END AS failed, ${chainItem(dialect, ok)} AS item FROM ${source}`
  );
}

/**
 * `INSERT ... SELECT <key>, sums FROM d GROUP BY <key> ORDER BY <key> ON CONFLICT ...`: a
 * table's increments from `d`, the batch's changes (a CTE of both dialects' batch SQL with
 * the key columns and every value; or `source`). Sorted keys: concurrent writers lock rows in one order.
 */
export function deltasUpsert(dialect: FlowDialect, table: FlowTable, source = "d"): string {
  const { key: keys, values } = FLOW_TABLES[table];
  const upsert = flowUpsert(dialect, table, values);
  const sums = values.map((v) => (v === "last_scan_at" ? "max(last_scan_at)" : `sum(${v})`));
  const positions = keys.map((_, i) => i + 1).join(", ");
  return (
    `${upsert.into} SELECT ${keys.join(", ")}, ${sums.join(", ")} FROM ${source} ` +
    `GROUP BY ${positions} ORDER BY ${positions} ${upsert.conflict}`
  );
}
