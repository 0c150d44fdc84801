// What the buffer answers. Times are ISO 8601 UTC strings, as on the wire.
import type { InvalidAttemptItem, Issue, ItemKind, ScanItem } from "../wire.js";

/** An outbox entry as the uploader sends it: `json` is the stored wire item, unparsed. */
export interface PendingItem {
  seq: number;
  uuid: string;
  kind: ItemKind;
  json: string;
  recorded_at: string;
}

export interface SyncStatus {
  pending: number;
  /** When the oldest item still waiting entered the outbox: how far behind the server is. */
  oldest_pending_at: string | null;
  last_sync_at: string | null;
  last_error: { at: string; message: string } | null;
  dead_letters: number;
}

export interface DeadLetter {
  uuid: string;
  kind: ItemKind;
  item: ScanItem | InvalidAttemptItem;
  issues: Issue[];
  request_id: string | null;
  recorded_at: string;
  rejected_at: string;
}

/** One scan of a ticket on this device: its latest ("already scanned here?"), or its first valid one. */
export interface LastScan {
  uuid: string;
  ticket_id: string;
  event_id: string;
  scan_timestamp: string;
  is_valid: boolean;
  location: string | null;
  scanner_id: string;
  /** pending: not on the server yet; uploaded; rejected: in the dead letters. */
  state: "pending" | "uploaded" | "rejected";
}

/** "Was this ticket admitted here?": its valid scans on this device. */
export interface LocalAdmission {
  valid_scans: number;
  /** The first of them by scan_timestamp, then uuid; null when there is none. */
  first: LastScan | null;
}

export interface ImportResult {
  imported: number;
  /** Lines whose uuid this device already holds: importing a file twice is harmless. */
  duplicates: number;
}

export interface Retention {
  /** Uploaded items older than this (by upload time) are purged. */
  days: number;
  /** At most this many uploaded items are kept, newest first. */
  rows: number;
}

export const DEFAULT_RETENTION: Retention = { days: 7, rows: 100_000 };
