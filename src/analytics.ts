// The service of the spec: log a ticket scan, a transfer, an invalid attempt; read the
// stats and the recent records. It knows nothing of HTTP; use it as a library too.
import { uuidv7 } from "uuidv7";
import type * as z from "zod";
import { toIssues, validationError } from "./errors.js";
import {
  type InvalidAttemptData,
  type InvalidAttemptInput,
  invalidAttemptInput,
  type ListQuery,
  type ScanData,
  type ScanInput,
  scanInput,
  type TransferData,
  type TransferInput,
  transferInput,
} from "./records.js";
import type {
  EventStats,
  InsertOutcome,
  InvalidAttemptRow,
  RecordBatch,
  ScanRow,
  Store,
  TransferRow,
} from "./store/types.js";

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(toIssues(result.error.issues));
  return result.data;
}

/** Server-side defaults: a uuid (UUIDv7, time-ordered) and "now" for the record's time. */
export function toScanRow(d: ScanData, now = new Date()): ScanRow {
  return {
    uuid: d.uuid ?? uuidv7(),
    ticket_id: d.ticket_id,
    event_id: d.event_id,
    scanner_id: d.scanner_id ?? null,
    scan_timestamp: d.scan_timestamp ?? now,
    is_valid: d.is_valid,
    location: d.location ?? null,
    device_info: d.device_info ?? null,
    additional_metadata: d.additional_metadata ?? null,
  };
}

export function toTransferRow(d: TransferData, now = new Date()): TransferRow {
  return {
    uuid: d.uuid ?? uuidv7(),
    ticket_id: d.ticket_id,
    event_id: d.event_id,
    from_user_id: d.from_user_id,
    to_user_id: d.to_user_id,
    transfer_timestamp: d.transfer_timestamp ?? now,
    transfer_reason: d.transfer_reason ?? null,
    ip_address: d.ip_address ?? null,
    user_agent: d.user_agent ?? null,
    is_successful: d.is_successful,
    additional_metadata: d.additional_metadata ?? null,
  };
}

export function toInvalidAttemptRow(d: InvalidAttemptData, now = new Date()): InvalidAttemptRow {
  return {
    uuid: d.uuid ?? uuidv7(),
    attempt_type: d.attempt_type,
    reason: d.reason,
    ticket_id: d.ticket_id ?? null,
    event_id: d.event_id ?? null,
    attempt_timestamp: d.attempt_timestamp ?? now,
    ip_address: d.ip_address ?? null,
    user_agent: d.user_agent ?? null,
    additional_metadata: d.additional_metadata ?? null,
  };
}

const EMPTY: RecordBatch = { scans: [], transfers: [], invalidAttempts: [] };

export function createAnalytics(store: Store) {
  return {
    store,

    /** Stores one scan (validated); the same uuid again is a duplicate, counted once. */
    async logTicketScan(input: ScanInput): Promise<InsertOutcome> {
      const row = toScanRow(parseOrThrow(scanInput, input));
      const out = await store.insert({ ...EMPTY, scans: [row] });
      return out.scans[0] as InsertOutcome;
    },

    async logTicketTransfer(input: TransferInput): Promise<InsertOutcome> {
      const row = toTransferRow(parseOrThrow(transferInput, input));
      const out = await store.insert({ ...EMPTY, transfers: [row] });
      return out.transfers[0] as InsertOutcome;
    },

    async logInvalidAttempt(input: InvalidAttemptInput): Promise<InsertOutcome> {
      const row = toInvalidAttemptRow(parseOrThrow(invalidAttemptInput, input));
      const out = await store.insert({ ...EMPTY, invalidAttempts: [row] });
      return out.invalidAttempts[0] as InsertOutcome;
    },

    /** An event without records has zero counts and `last_updated: null`. */
    getEventStats: (eventId: string): Promise<EventStats> => store.eventStats(eventId),
    getAllStats: (): Promise<EventStats[]> => store.allStats(),
    recentScans: (q: ListQuery) => store.listScans(q),
    recentTransfers: (q: ListQuery) => store.listTransfers(q),
    recentInvalidAttempts: (q: ListQuery) => store.listInvalidAttempts(q),
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
