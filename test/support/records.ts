// Record builders for tests: valid by default, override what the test is about.
import { uuidv7 } from "uuidv7";
import type { InvalidAttemptRow, RecordBatch, ScanRow, TransferRow } from "../../src/store/types.js";

export const scanRow = (over: Partial<ScanRow> = {}): ScanRow => ({
  uuid: uuidv7(),
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

export const transferRow = (over: Partial<TransferRow> = {}): TransferRow => ({
  uuid: uuidv7(),
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

export const attemptRow = (over: Partial<InvalidAttemptRow> = {}): InvalidAttemptRow => ({
  uuid: uuidv7(),
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

/** Every role-protected route of the API with a valid request and the role it needs. */
export const ROLE_ROUTES: [method: string, path: string, body: unknown, role: "ingest" | "reader"][] = [
  ["GET", "/stats", undefined, "reader"],
  ["GET", "/stats?event_id=event_456", undefined, "reader"],
  ["GET", "/stats/scans?event_id=event_456", undefined, "reader"],
  ["GET", "/stats/transfers?event_id=event_456", undefined, "reader"],
  ["GET", "/stats/invalid-attempts?event_id=event_456", undefined, "reader"],
  ["GET", "/stats/devices?event_id=event_456", undefined, "reader"],
  ["POST", "/scans", SPEC.scan, "ingest"],
  ["POST", "/transfers", SPEC.transfer, "ingest"],
  ["POST", "/invalid-attempts", SPEC.invalidAttempt, "ingest"],
];

/** The spec's three example records for one event, with the route each is posted to. */
export const specRecords = (event_id: string) =>
  [
    ["/scans", { ...SPEC.scan, event_id }],
    ["/transfers", { ...SPEC.transfer, event_id }],
    ["/invalid-attempts", { ...SPEC.invalidAttempt, event_id }],
  ] as const;
