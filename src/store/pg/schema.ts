// Postgres tables: the spec's four tables plus the idempotency key (`uuid`) and the
// server receive time (`received_at`) of DESIGN.md. Properties are named as the columns
// (snake_case), so selected rows are already in wire shape. Keep in step with ../sqlite/schema.ts;
// the store contract suite runs against both.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { counterColumns } from "../counters.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

export const ticketScans = pgTable(
  "ticket_scans",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    uuid: text("uuid").notNull(),
    ticket_id: text("ticket_id").notNull(),
    event_id: text("event_id").notNull(),
    scanner_id: text("scanner_id"),
    scan_timestamp: ts("scan_timestamp").notNull(),
    is_valid: boolean("is_valid").notNull(),
    location: text("location"),
    device_info: text("device_info"),
    additional_metadata: jsonb("additional_metadata"),
    received_at: ts("received_at").notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex("ticket_scans_uuid_uq").on(t.uuid),
    index("ticket_scans_ticket_id_idx").on(t.ticket_id),
    index("ticket_scans_event_ts_idx").on(t.event_id, t.scan_timestamp.desc(), t.id.desc()),
    index("ticket_scans_scan_timestamp_idx").on(t.scan_timestamp),
  ],
);

export const ticketTransfers = pgTable(
  "ticket_transfers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    uuid: text("uuid").notNull(),
    ticket_id: text("ticket_id").notNull(),
    event_id: text("event_id").notNull(),
    from_user_id: text("from_user_id").notNull(),
    to_user_id: text("to_user_id").notNull(),
    transfer_timestamp: ts("transfer_timestamp").notNull(),
    transfer_reason: text("transfer_reason"),
    ip_address: text("ip_address"),
    user_agent: text("user_agent"),
    is_successful: boolean("is_successful").notNull(),
    additional_metadata: jsonb("additional_metadata"),
    received_at: ts("received_at").notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex("ticket_transfers_uuid_uq").on(t.uuid),
    index("ticket_transfers_ticket_id_idx").on(t.ticket_id),
    index("ticket_transfers_event_ts_idx").on(t.event_id, t.transfer_timestamp.desc(), t.id.desc()),
    index("ticket_transfers_transfer_timestamp_idx").on(t.transfer_timestamp),
  ],
);

export const invalidAttempts = pgTable(
  "invalid_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    uuid: text("uuid").notNull(),
    attempt_type: text("attempt_type").notNull(),
    ticket_id: text("ticket_id"),
    event_id: text("event_id"),
    attempt_timestamp: ts("attempt_timestamp").notNull(),
    reason: text("reason").notNull(),
    ip_address: text("ip_address"),
    user_agent: text("user_agent"),
    additional_metadata: jsonb("additional_metadata"),
    received_at: ts("received_at").notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex("invalid_attempts_uuid_uq").on(t.uuid),
    index("invalid_attempts_attempt_type_idx").on(t.attempt_type),
    index("invalid_attempts_ticket_id_idx").on(t.ticket_id),
    index("invalid_attempts_event_ts_idx").on(t.event_id, t.attempt_timestamp.desc(), t.id.desc()),
    index("invalid_attempts_attempt_timestamp_idx").on(t.attempt_timestamp),
  ],
);

export const analyticsStats = pgTable(
  "analytics_stats",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    event_id: text("event_id").notNull(),
    stat_date: date("stat_date", { mode: "string" }).notNull(),
    ...counterColumns((name) => integer(name).notNull().default(0)),
    updated_at: ts("updated_at").notNull().default(sql`now()`),
  },
  (t) => [
    uniqueIndex("analytics_stats_event_date_uq").on(t.event_id, t.stat_date),
    index("analytics_stats_stat_date_idx").on(t.stat_date),
  ],
);

/** Device health: one row per gate scanner, updated by every POST /sync. */
export const scannerDevices = pgTable("scanner_devices", {
  scanner_id: text("scanner_id").primaryKey(),
  last_sync_at: ts("last_sync_at").notNull(),
  last_sent_at: ts("last_sent_at").notNull(),
  clock_offset_ms: bigint("clock_offset_ms", { mode: "number" }).notNull(),
  last_items: integer("last_items").notNull(),
  last_accepted: integer("last_accepted").notNull(),
  last_duplicates: integer("last_duplicates").notNull(),
  last_rejected: integer("last_rejected").notNull(),
  total_accepted: bigint("total_accepted", { mode: "number" }).notNull(),
  pending: integer("pending"),
  oldest_pending_at: ts("oldest_pending_at"),
  app_version: text("app_version"),
});

/** Which events a scanner has uploaded records for, so health can be listed per event. */
export const scannerEvents = pgTable(
  "scanner_events",
  {
    scanner_id: text("scanner_id").notNull(),
    event_id: text("event_id").notNull(),
    last_sync_at: ts("last_sync_at").notNull(),
    records: bigint("records", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scanner_id, t.event_id] }),
    index("scanner_events_event_idx").on(t.event_id),
  ],
);

/*
 * Entry flow (DESIGN.md, "Entry flow and attendance"): aggregates kept by the batch SQL
 * with the records, for rows actually inserted. In these tables a gate (location) or a
 * scanner that is absent is '' (scanner ids are never empty; an empty location is no gate
 * either), so they can be plain key columns: a NULL never equals another in a unique
 * index, on either dialect. A minute is the epoch ms of its start, so bucketing is the
 * same integer arithmetic on both dialects.
 */

/** A ticket admitted to an event: its first entry (earliest valid scan by own time, then uuid). */
export const ticketEntries = pgTable(
  "ticket_entries",
  {
    event_id: text("event_id").notNull(),
    ticket_id: text("ticket_id").notNull(),
    first_at: ts("first_at").notNull(),
    first_uuid: text("first_uuid").notNull(),
    first_location: text("first_location").notNull(),
    first_scanner_id: text("first_scanner_id").notNull(),
    valid_scans: integer("valid_scans").notNull(),
    // The first entry the latest update displaced (null: it displaced none). Read back in
    // the same statement, it is where that entry's count comes off.
    moved_from_at: ts("moved_from_at"),
    moved_from_location: text("moved_from_location"),
    moved_from_scanner_id: text("moved_from_scanner_id"),
    // When the first entry reached the server, and the ticket's second valid scan (by own
    // time, then uuid): a double entry's alert (DESIGN.md, "Signals") reads both from here,
    // so it outlives retention. Null: never set (first_received_at), one valid scan (second_*).
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
    // from the index (and, where the visibility map allows, from it alone).
    index("ticket_entries_event_first_idx").on(t.event_id, t.first_at, t.first_location, t.first_scanner_id),
    // The double entries, newest second scan first, a page at a time.
    index("ticket_entries_event_second_idx")
      .on(t.event_id, t.second_at, t.ticket_id)
      .where(sql`second_at IS NOT NULL`),
  ],
);

/** Per event, minute, gate and scanner: first entries there, and valid and invalid scans. */
export const gateMinutes = pgTable(
  "gate_minutes",
  {
    event_id: text("event_id").notNull(),
    location: text("location").notNull(),
    scanner_id: text("scanner_id").notNull(),
    minute: bigint("minute", { mode: "number" }).notNull(),
    entries: integer("entries").notNull().default(0),
    valid_scans: integer("valid_scans").notNull().default(0),
    invalid_scans: integer("invalid_scans").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.event_id, t.location, t.scanner_id, t.minute] }),
    // GET /stats/gates's last 15 minutes as one range of the event's minutes, not a seek
    // down the key per scanner (SQLite has no such index: the seeks measured faster there).
    // Its columns never change once a row exists, so upserts stay heap-only updates.
    index("gate_minutes_event_minute_idx").on(t.event_id, t.minute),
  ],
);

/** Per event and minute: the same over every gate, and the event's invalid attempts. */
export const eventMinutes = pgTable(
  "event_minutes",
  {
    event_id: text("event_id").notNull(),
    minute: bigint("minute", { mode: "number" }).notNull(),
    entries: integer("entries").notNull().default(0),
    valid_scans: integer("valid_scans").notNull().default(0),
    invalid_scans: integer("invalid_scans").notNull().default(0),
    invalid_attempts: integer("invalid_attempts").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.event_id, t.minute] })],
);

/** Per event, gate and scanner, over all time: the figures of GET /stats/gates. */
export const gateScanners = pgTable(
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
export const transferReasons = pgTable(
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

/**
 * Per event and ticket: its successful and failed transfers (a ticket transferred has
 * successful > 0), and for the transfer-chain alerts its successful transfers themselves,
 * in time order (../signals.ts, CHAIN), with the shortest gap between two of them.
 */
export const transferTickets = pgTable(
  "transfer_tickets",
  {
    event_id: text("event_id").notNull(),
    ticket_id: text("ticket_id").notNull(),
    successful: integer("successful").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    chain: jsonb("chain").notNull().default(sql`'[]'::jsonb`),
    min_gap_ms: bigint("min_gap_ms", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.event_id, t.ticket_id] }),
    // The chains: by count of transfers, or by their shortest gap.
    index("transfer_tickets_event_successful_idx").on(t.event_id, t.successful),
    index("transfer_tickets_event_gap_idx").on(t.event_id, t.min_gap_ms),
  ],
);

// --- Signals (DESIGN.md, "Signals"), kept with the records like the rest ----------------

/** Per event: tickets with two or more valid scans (the double entries' summary). */
export const eventSignals = pgTable("event_signals", {
  event_id: text("event_id").primaryKey(),
  double_entries: integer("double_entries").notNull().default(0),
});

/**
 * Per event, key and UTC minute: invalid attempts and invalid scans carrying the key
 * (`key_kind`: ip_address from attempts, scanner_id from invalid scans, ticket_id from both).
 */
export const burstKeys = pgTable(
  "burst_keys",
  {
    event_id: text("event_id").notNull(),
    key_kind: text("key_kind").notNull(),
    key: text("key").notNull(),
    minute: bigint("minute", { mode: "number" }).notNull(),
    records: integer("records").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.event_id, t.key_kind, t.key, t.minute] }),
    // The bursts: the keys of a minute at or above the threshold.
    index("burst_keys_event_records_idx").on(t.event_id, t.records, t.minute),
  ],
);

/** The same per reason (an invalid scan's reason is 'invalid_scan'). */
export const burstReasons = pgTable(
  "burst_reasons",
  {
    event_id: text("event_id").notNull(),
    key_kind: text("key_kind").notNull(),
    key: text("key").notNull(),
    minute: bigint("minute", { mode: "number" }).notNull(),
    reason: text("reason").notNull(),
    records: integer("records").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.event_id, t.key_kind, t.key, t.minute, t.reason] })],
);

/**
 * Revoked scanners (POST /admin/revocations): a scanner's signed tokens issued before
 * `revoked_at` are refused; those issued later work. One row per scanner, the latest
 * revocation.
 */
export const scannerRevocations = pgTable("scanner_revocations", {
  scanner_id: text("scanner_id").primaryKey(),
  revoked_at: ts("revoked_at").notNull(),
});

/**
 * Never holds a row: its constraint fails every insert. The statement that stores a
 * scanner's sync inserts here the revocation its token falls under, if there is one, and
 * so fails as a whole: the check costs no round trip of its own (../revocations.ts).
 */
export const revocationGuard = pgTable(
  "revocation_guard",
  { scanner_id: text("scanner_id").notNull() },
  () => [check("token_revoked", sql`false`)],
);
