// SQLite tables (better-sqlite3 on Node, D1 on Workers): the same columns as ../pg/schema.ts.
// Properties are named as the columns (snake_case), so rows are already in wire shape.
// Timestamps are integer milliseconds since the epoch (sortable, compact, exact for JS
// dates); `stat_date` is the UTC day as 'YYYY-MM-DD'.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { counterColumns } from "../counters.js";

const ts = (name: string) => integer(name, { mode: "timestamp_ms" });
const bool = (name: string) => integer(name, { mode: "boolean" });
/** The current time in epoch ms, as SQL: column defaults and the batch SQL share it. */
export const NOW_MS_SQL = "(cast(unixepoch('subsec') * 1000 as integer))";
const nowMs = sql.raw(NOW_MS_SQL);

export const ticketScans = sqliteTable(
  "ticket_scans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    uuid: text("uuid").notNull(),
    ticket_id: text("ticket_id").notNull(),
    event_id: text("event_id").notNull(),
    scanner_id: text("scanner_id"),
    scan_timestamp: ts("scan_timestamp").notNull(),
    is_valid: bool("is_valid").notNull(),
    location: text("location"),
    device_info: text("device_info"),
    additional_metadata: text("additional_metadata", { mode: "json" }),
    received_at: ts("received_at").notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex("ticket_scans_uuid_uq").on(t.uuid),
    index("ticket_scans_ticket_id_idx").on(t.ticket_id),
    index("ticket_scans_event_ts_idx").on(t.event_id, t.scan_timestamp, t.id),
    index("ticket_scans_scan_timestamp_idx").on(t.scan_timestamp),
  ],
);

export const ticketTransfers = sqliteTable(
  "ticket_transfers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    uuid: text("uuid").notNull(),
    ticket_id: text("ticket_id").notNull(),
    event_id: text("event_id").notNull(),
    from_user_id: text("from_user_id").notNull(),
    to_user_id: text("to_user_id").notNull(),
    transfer_timestamp: ts("transfer_timestamp").notNull(),
    transfer_reason: text("transfer_reason"),
    ip_address: text("ip_address"),
    user_agent: text("user_agent"),
    is_successful: bool("is_successful").notNull(),
    additional_metadata: text("additional_metadata", { mode: "json" }),
    received_at: ts("received_at").notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex("ticket_transfers_uuid_uq").on(t.uuid),
    index("ticket_transfers_ticket_id_idx").on(t.ticket_id),
    index("ticket_transfers_event_ts_idx").on(t.event_id, t.transfer_timestamp, t.id),
    index("ticket_transfers_transfer_timestamp_idx").on(t.transfer_timestamp),
  ],
);

export const invalidAttempts = sqliteTable(
  "invalid_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    uuid: text("uuid").notNull(),
    attempt_type: text("attempt_type").notNull(),
    ticket_id: text("ticket_id"),
    event_id: text("event_id"),
    attempt_timestamp: ts("attempt_timestamp").notNull(),
    reason: text("reason").notNull(),
    ip_address: text("ip_address"),
    user_agent: text("user_agent"),
    additional_metadata: text("additional_metadata", { mode: "json" }),
    received_at: ts("received_at").notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex("invalid_attempts_uuid_uq").on(t.uuid),
    index("invalid_attempts_attempt_type_idx").on(t.attempt_type),
    index("invalid_attempts_ticket_id_idx").on(t.ticket_id),
    index("invalid_attempts_event_ts_idx").on(t.event_id, t.attempt_timestamp, t.id),
    index("invalid_attempts_attempt_timestamp_idx").on(t.attempt_timestamp),
  ],
);

export const analyticsStats = sqliteTable(
  "analytics_stats",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    event_id: text("event_id").notNull(),
    stat_date: text("stat_date").notNull(),
    ...counterColumns((name) => integer(name).notNull().default(0)),
    updated_at: ts("updated_at").notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex("analytics_stats_event_date_uq").on(t.event_id, t.stat_date),
    index("analytics_stats_stat_date_idx").on(t.stat_date),
  ],
);

/** Device health: one row per gate scanner, updated by every POST /sync. */
export const scannerDevices = sqliteTable("scanner_devices", {
  scanner_id: text("scanner_id").primaryKey(),
  last_sync_at: ts("last_sync_at").notNull(),
  last_sent_at: ts("last_sent_at").notNull(),
  clock_offset_ms: integer("clock_offset_ms").notNull(),
  last_items: integer("last_items").notNull(),
  last_accepted: integer("last_accepted").notNull(),
  last_duplicates: integer("last_duplicates").notNull(),
  last_rejected: integer("last_rejected").notNull(),
  total_accepted: integer("total_accepted").notNull(),
  pending: integer("pending"),
  oldest_pending_at: ts("oldest_pending_at"),
  app_version: text("app_version"),
});

/** Which events a scanner has uploaded records for, so health can be listed per event. */
export const scannerEvents = sqliteTable(
  "scanner_events",
  {
    scanner_id: text("scanner_id").notNull(),
    event_id: text("event_id").notNull(),
    last_sync_at: ts("last_sync_at").notNull(),
    records: integer("records").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scanner_id, t.event_id] }),
    index("scanner_events_event_idx").on(t.event_id),
  ],
);

// Entry flow: the same tables as ../pg/schema.ts (see there for what they hold).

export const ticketEntries = sqliteTable(
  "ticket_entries",
  {
    event_id: text("event_id").notNull(),
    ticket_id: text("ticket_id").notNull(),
    first_at: ts("first_at").notNull(),
    first_uuid: text("first_uuid").notNull(),
    first_location: text("first_location").notNull(),
    first_scanner_id: text("first_scanner_id").notNull(),
    valid_scans: integer("valid_scans").notNull(),
    moved_from_at: ts("moved_from_at"),
    moved_from_location: text("moved_from_location"),
    moved_from_scanner_id: text("moved_from_scanner_id"),
    first_received_at: ts("first_received_at"),
    second_at: ts("second_at"),
    second_uuid: text("second_uuid"),
    second_location: text("second_location"),
    second_scanner_id: text("second_scanner_id"),
    second_received_at: ts("second_received_at"),
  },
  (t) => [
    primaryKey({ columns: [t.event_id, t.ticket_id] }),
    // Gate and scanner in the index: the gates' windows count the entries at their edges
    // from the index alone.
    index("ticket_entries_event_first_idx").on(t.event_id, t.first_at, t.first_location, t.first_scanner_id),
    index("ticket_entries_event_second_idx")
      .on(t.event_id, t.second_at, t.ticket_id)
      .where(sql`second_at IS NOT NULL`),
  ],
);

// WITHOUT ROWID in the migration (Drizzle has no word for it): the gates' windows read a
// scanner's last 15 minutes straight from the key's b-tree, side by side.
export const gateMinutes = sqliteTable(
  "gate_minutes",
  {
    event_id: text("event_id").notNull(),
    location: text("location").notNull(),
    scanner_id: text("scanner_id").notNull(),
    minute: integer("minute").notNull(),
    entries: integer("entries").notNull().default(0),
    valid_scans: integer("valid_scans").notNull().default(0),
    invalid_scans: integer("invalid_scans").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.event_id, t.location, t.scanner_id, t.minute] })],
);

export const eventMinutes = sqliteTable(
  "event_minutes",
  {
    event_id: text("event_id").notNull(),
    minute: integer("minute").notNull(),
    entries: integer("entries").notNull().default(0),
    valid_scans: integer("valid_scans").notNull().default(0),
    invalid_scans: integer("invalid_scans").notNull().default(0),
    invalid_attempts: integer("invalid_attempts").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.event_id, t.minute] })],
);

export const gateScanners = sqliteTable(
  "gate_scanners",
  {
    event_id: text("event_id").notNull(),
    location: text("location").notNull(),
    scanner_id: text("scanner_id").notNull(),
    entries: integer("entries").notNull().default(0),
    valid_scans: integer("valid_scans").notNull().default(0),
    invalid_scans: integer("invalid_scans").notNull().default(0),
    last_scan_at: ts("last_scan_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.event_id, t.location, t.scanner_id] })],
);

// --- Transfers, for the revenue team (GET /stats/transfers/summary) ----------------------
// Kept with the records like the entry flow (../entry-flow.ts's FLOW_TABLES), and never
// reduced by retention.

/**
 * Per event and reason: successful and failed transfers. A transfer without a reason is
 * keyed `no_reason = 1, reason = ''`, apart from one whose reason is the empty text.
 */
export const transferReasons = sqliteTable(
  "transfer_reasons",
  {
    event_id: text("event_id").notNull(),
    no_reason: integer("no_reason").notNull(),
    reason: text("reason").notNull(),
    successful: integer("successful").notNull().default(0),
    failed: integer("failed").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.event_id, t.no_reason, t.reason] })],
);

/** Per event and ticket: its transfers, and its successful ones in time order (as JSON text). */
export const transferTickets = sqliteTable(
  "transfer_tickets",
  {
    event_id: text("event_id").notNull(),
    ticket_id: text("ticket_id").notNull(),
    successful: integer("successful").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    chain: text("chain", { mode: "json" }).notNull().default(sql`'[]'`),
    min_gap_ms: integer("min_gap_ms"),
  },
  (t) => [
    primaryKey({ columns: [t.event_id, t.ticket_id] }),
    index("transfer_tickets_event_successful_idx").on(t.event_id, t.successful),
    index("transfer_tickets_event_gap_idx").on(t.event_id, t.min_gap_ms),
  ],
);

// --- Signals: the same tables as ../pg/schema.ts ------------------------------------------

export const eventSignals = sqliteTable("event_signals", {
  event_id: text("event_id").primaryKey(),
  double_entries: integer("double_entries").notNull().default(0),
});

export const burstKeys = sqliteTable(
  "burst_keys",
  {
    event_id: text("event_id").notNull(),
    key_kind: text("key_kind").notNull(),
    key: text("key").notNull(),
    minute: integer("minute").notNull(),
    records: integer("records").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.event_id, t.key_kind, t.key, t.minute] }),
    index("burst_keys_event_records_idx").on(t.event_id, t.records, t.minute),
  ],
);

export const burstReasons = sqliteTable(
  "burst_reasons",
  {
    event_id: text("event_id").notNull(),
    key_kind: text("key_kind").notNull(),
    key: text("key").notNull(),
    minute: integer("minute").notNull(),
    reason: text("reason").notNull(),
    records: integer("records").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.event_id, t.key_kind, t.key, t.minute, t.reason] })],
);

export const scannerRevocations = sqliteTable("scanner_revocations", {
  scanner_id: text("scanner_id").primaryKey(),
  revoked_at: ts("revoked_at").notNull(),
});

/** Never holds a row (see ../pg/schema.ts): SQLite has no RAISE outside triggers, and a D1 batch is fixed before it runs. */
export const revocationGuard = sqliteTable(
  "revocation_guard",
  { scanner_id: text("scanner_id").notNull() },
  () => [check("token_revoked", sql`false`)],
);
