// The signal aggregates (DESIGN.md, "Signals"), as both dialects' batch SQL keeps them with
// the records, for rows actually inserted (the SQL both share; ../signals/alerts.ts reads
// alerts out of them):
// - double entries: ticket_entries keeps each ticket's first two valid scans (./entry-flow.ts,
//   ticketEntryConflict), and event_signals counts the tickets whose valid scans reached two;
// - invalid bursts: burst_keys and burst_reasons count invalid records per key and minute;
// - transfer chains: transfer_tickets keeps a ticket's successful transfers as a list in
//   time order, merged inside its upsert's ON CONFLICT on the row it has locked, so
//   concurrent writers and any arrival order give the same list, and retention keeps it.
import { type FlowDialect, minuteOf, msOf } from "./entry-flow.js";

/** A successful transfer in a chain: [own time (epoch ms), uuid, from_user_id, to_user_id]. */
export type ChainItem = [at: number, uuid: string, from: string, to: string];

/** A transfer's chain item when `ok` (an SQL condition), else NULL; of the row's columns. */
export function chainItem(dialect: FlowDialect, ok: string): string {
  const fn = dialect === "pg" ? "jsonb_build_array" : "json_array";
  return `CASE WHEN ${ok} THEN ${fn}(${msOf(dialect, "transfer_timestamp")}, uuid, from_user_id, to_user_id) END`;
}

/** The items of JSON arrays, as a subquery with one column `v`. */
function items(dialect: FlowDialect, lists: string[]): string {
  const each =
    dialect === "pg"
      ? (l: string) => `SELECT e AS v FROM jsonb_array_elements(${l}) e`
      : (l: string) => `SELECT value AS v FROM json_each(${l})`;
  return `(${lists.map(each).join(" UNION ALL ")})`;
}

const timeOf = (dialect: FlowDialect) => (dialect === "pg" ? "(v->>0)::bigint" : "(v->>0)");

/** The items of the lists as one list in chain order: own time, then uuid (bytewise). */
function sortedChain(dialect: FlowDialect, lists: string[]): string {
  return dialect === "pg"
    ? `(SELECT coalesce(jsonb_agg(v ORDER BY ${timeOf(dialect)}, (v->>1) COLLATE "C"), '[]'::jsonb) FROM ${items(dialect, lists)} x)`
    : `(SELECT coalesce(json_group_array(json(v) ORDER BY ${timeOf(dialect)}, v->>1), '[]') FROM ${items(dialect, lists)} x)`;
}

/** The shortest gap (ms) between two consecutive items of the lists, in time order; NULL under two. */
function shortestGap(dialect: FlowDialect, lists: string[]): string {
  const t = timeOf(dialect);
  return `(SELECT min(g) FROM (SELECT ${t} - lag(${t}) OVER (ORDER BY ${t}) AS g FROM ${items(dialect, lists)} x) y)`;
}

/**
 * transfer_tickets' upsert from `source`, rows (event_id, ticket_id, successful, failed,
 * chain), one per ticket, `chain` a JSON array of its new chain items in any order. The
 * row's chain becomes the merged list, and its shortest gap that list's.
 */
export function transferTicketsUpsert(dialect: FlowDialect, source: string): string {
  const old = "transfer_tickets.chain";
  const add = "excluded.chain";
  return (
    "INSERT INTO transfer_tickets (event_id, ticket_id, successful, failed, chain, min_gap_ms) " +
    `SELECT event_id, ticket_id, successful, failed, ${sortedChain(dialect, ["s.chain"])}, ` +
    `${shortestGap(dialect, ["s.chain"])} FROM ${source} s WHERE true ORDER BY event_id, ticket_id ` +
    "ON CONFLICT (event_id, ticket_id) DO UPDATE SET " +
    "successful = transfer_tickets.successful + excluded.successful, " +
    "failed = transfer_tickets.failed + excluded.failed, " +
    // A batch of failed transfers only leaves the list as it is.
    `chain = CASE WHEN excluded.successful = 0 THEN ${old} ELSE ${sortedChain(dialect, [old, add])} END, ` +
    `min_gap_ms = CASE WHEN excluded.successful = 0 THEN transfer_tickets.min_gap_ms ELSE ${shortestGap(dialect, [old, add])} END`
  );
}

/** transfer_tickets' rows from `d` (./entry-flow.ts, transferDeltas): per ticket, its counts and chain items. */
export function transferTicketRows(dialect: FlowDialect): string {
  const list =
    dialect === "pg"
      ? "coalesce(jsonb_agg(item) FILTER (WHERE item IS NOT NULL), '[]'::jsonb)"
      : "json_group_array(json(item)) FILTER (WHERE item IS NOT NULL)";
  return `(SELECT event_id, ticket_id, sum(successful) AS successful, sum(failed) AS failed, ${list} AS chain FROM d GROUP BY 1, 2)`;
}

/** An invalid record's keys: the burst_keys / burst_reasons kinds. */
export const BURST_KEY_KINDS = ["ip_address", "scanner_id", "ticket_id"] as const;
export type BurstKeyKind = (typeof BURST_KEY_KINDS)[number];

/** The reason an invalid scan counts under in a burst. */
export const INVALID_SCAN_REASON = "invalid_scan";

/**
 * A batch's invalid records (`source`, stored rows of the kind) as burst rows: (event_id,
 * key_kind, key, minute, reason, records = 1), one per key a record carries: an invalid
 * scan its scanner and its ticket, an invalid attempt naming an event its IP address and
 * its ticket.
 */
export function burstDeltas(dialect: FlowDialect, kind: "scans" | "invalidAttempts", source: string): string {
  const row = (keyKind: BurstKeyKind, time: string, reason: string, where: string) =>
    `SELECT event_id, '${keyKind}' AS key_kind, ${keyKind} AS key, ${minuteOf(msOf(dialect, time))} AS minute, ` +
    `${reason} AS reason, 1 AS records FROM ${source} WHERE ${where}`;
  if (kind === "scans") {
    const invalid = dialect === "pg" ? "NOT is_valid" : "is_valid = 0";
    const reason = `'${INVALID_SCAN_REASON}'`;
    return [
      row("scanner_id", "scan_timestamp", reason, `${invalid} AND scanner_id IS NOT NULL`),
      row("ticket_id", "scan_timestamp", reason, invalid),
    ].join(" UNION ALL ");
  }
  return [
    row("ip_address", "attempt_timestamp", "reason", "event_id IS NOT NULL AND ip_address IS NOT NULL"),
    row("ticket_id", "attempt_timestamp", "reason", "event_id IS NOT NULL AND ticket_id IS NOT NULL"),
  ].join(" UNION ALL ");
}
