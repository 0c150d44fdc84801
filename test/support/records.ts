// Record builders for tests: valid by default, override what the test is about. Built by
// the store's own row mapper, so a column added to the schemas needs nothing here.
import { uuidv7 } from "uuidv7";
import { toRow } from "../../src/store/rows.js";
import type { InvalidAttemptRow, RecordBatch, ScanRow, TransferRow } from "../../src/store/types.js";

export const scanRow = (over: Partial<ScanRow> = {}): ScanRow =>
  toRow("scans", {
    ticket_id: "ticket_123",
    event_id: "event_456",
    scanner_id: "scanner_789",
    scan_timestamp: new Date(),
    is_valid: true,
    location: "Main Entrance",
    device_info: "iPhone iOS 15",
    additional_metadata: { battery_level: 80 },
    ...over,
  });

export const transferRow = (over: Partial<TransferRow> = {}): TransferRow =>
  toRow("transfers", {
    ticket_id: "ticket_123",
    event_id: "event_456",
    from_user_id: "user_abc",
    to_user_id: "user_def",
    transfer_timestamp: new Date(),
    transfer_reason: "gift",
    ip_address: "192.168.1.1",
    user_agent: "Mozilla/5.0",
    is_successful: true,
    additional_metadata: { platform: "mobile" },
    ...over,
  });

export const attemptRow = (over: Partial<InvalidAttemptRow> = {}): InvalidAttemptRow =>
  toRow("invalidAttempts", {
    attempt_type: "scan",
    reason: "expired_ticket",
    ticket_id: "ticket_123",
    event_id: "event_456",
    attempt_timestamp: new Date(),
    ip_address: "192.168.1.1",
    user_agent: "Mozilla/5.0",
    additional_metadata: { error_code: "EXPIRED_001" },
    ...over,
  });

export const batch = (b: Partial<RecordBatch>): RecordBatch => ({
  scans: [],
  transfers: [],
  invalidAttempts: [],
  ...b,
});

/** The spec's example payloads, as the HTTP API takes them. */
export const SPEC = {
  scan: {
    ticket_id: "ticket_123",
    event_id: "event_456",
    scanner_id: "scanner_789",
    is_valid: true,
    location: "Main Entrance",
    device_info: "iPhone iOS 15",
    additional_metadata: { battery_level: 80 },
  },
  transfer: {
    ticket_id: "ticket_123",
    event_id: "event_456",
    from_user_id: "user_abc",
    to_user_id: "user_def",
    transfer_reason: "gift",
    ip_address: "192.168.1.1",
    user_agent: "Mozilla/5.0...",
    is_successful: true,
    additional_metadata: { platform: "mobile" },
  },
  invalidAttempt: {
    attempt_type: "scan",
    reason: "expired_ticket",
    ticket_id: "ticket_123",
    event_id: "event_456",
    ip_address: "192.168.1.1",
    user_agent: "Mozilla/5.0...",
    additional_metadata: { error_code: "EXPIRED_001" },
  },
};

/** An event's counters when nothing was recorded. */
export const ZERO_COUNTS = {
  scan_count: 0,
  transfer_count: 0,
  invalid_attempt_count: 0,
  valid_scan_count: 0,
  invalid_scan_count: 0,
  successful_transfer_count: 0,
  failed_transfer_count: 0,
};

/** The keys of GET /stats?event_id=, in the spec's order. */
export const STATS_KEYS = ["event_id", ...Object.keys(ZERO_COUNTS), "last_updated"];

/** The spec's three example records for one event, with the route each is posted to. */
export const specRecords = (event_id: string) =>
  [
    ["/scans", { ...SPEC.scan, event_id }],
    ["/transfers", { ...SPEC.transfer, event_id }],
    ["/invalid-attempts", { ...SPEC.invalidAttempt, event_id }],
  ] as const;

let item = 0;

/** A scan as a gate scanner uploads it in POST /sync: with its uuid, without scanner_id (the batch's). */
export const syncScan = (event_id: string, over: Record<string, unknown> = {}) => ({
  uuid: uuidv7(),
  ticket_id: `ticket_${item++}`,
  event_id,
  scan_timestamp: new Date(Date.now() - 60_000).toISOString(),
  is_valid: true,
  location: "North Gate",
  ...over,
});

/** An invalid attempt as a gate scanner uploads it in POST /sync. */
export const syncAttempt = (event_id: string, over: Record<string, unknown> = {}) => ({
  uuid: uuidv7(),
  attempt_type: "scan",
  reason: "invalid_qr",
  event_id,
  attempt_timestamp: new Date().toISOString(),
  ...over,
});

/** A POST /sync body of `scanner_id`, sent now. */
export const syncBody = (scanner_id: string, parts: Record<string, unknown> = {}) => ({
  scanner_id,
  sent_at: new Date().toISOString(),
  ...parts,
});
