// The one narrow interface between the service and a database. Two implementations
// (./pg/store.ts, ./sqlite/store.ts) serve every driver; test/contract runs the same suite on each.
import type { RecordKind, StatCounter } from "./counters.js";
import type * as pg from "./pg/schema.js";
import type { ChainItem } from "./signals.js";

export type Dialect = "postgres" | "sqlite" | "d1";

/** Stored records, as selected: the Postgres tables' row types (SQLite's are the same shape). */
export type StoredScan = typeof pg.ticketScans.$inferSelect;
export type StoredTransfer = typeof pg.ticketTransfers.$inferSelect;
export type StoredInvalidAttempt = typeof pg.invalidAttempts.$inferSelect;

/**
 * What retention deletes: records older than `time` by their own time that arrived before
 * `received`. A record is kept while its uuid may still come again (a retry, a second
 * upload of an offline scanner's buffer): deleted, the uuid would be stored and counted anew.
 */
export interface PurgeCutoff {
  time: Date;
  received: Date;
}

/** A record ready to store: validated, with its uuid and its own time resolved. */
export type ScanRow = Omit<StoredScan, "id" | "received_at">;
export type TransferRow = Omit<StoredTransfer, "id" | "received_at">;
export type InvalidAttemptRow = Omit<StoredInvalidAttempt, "id" | "received_at">;

/** The stored record of each kind. */
export interface StoredRecords {
  scans: StoredScan;
  transfers: StoredTransfer;
  invalidAttempts: StoredInvalidAttempt;
}

export interface RecordBatch {
  scans: ScanRow[];
  transfers: TransferRow[];
  invalidAttempts: InvalidAttemptRow[];
}

/** What became of one record: stored now, or already stored under the same uuid. */
export interface InsertOutcome {
  id: number;
  uuid: string;
  duplicate: boolean;
}

export interface BatchOutcome {
  scans: InsertOutcome[];
  transfers: InsertOutcome[];
  invalidAttempts: InsertOutcome[];
}

/** What a sync stored, per kind: records new now, and duplicates (stored before, or repeated in it). */
export type SyncOutcome = Record<keyof RecordBatch, { stored: number; duplicates: number }>;

/** An event's counters (those of ./counters.ts, summed over its days) and when they last changed. */
export type EventStats = Pick<typeof pg.analyticsStats.$inferSelect, "event_id" | StatCounter> & {
  last_updated: Date | null;
};

export interface ListFilter {
  event_id: string;
  limit: number;
  before_id?: number | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** A page of an event's records, oldest first by their own time (`from` inclusive, `to` exclusive), ties by id. */
export interface PageFilter {
  event_id: string;
  from?: Date | undefined;
  to?: Date | undefined;
  /** The keyset cursor: the own time and id of the previous page's last record; the page starts after it. */
  after?: { time: Date; id: number } | undefined;
  limit: number;
}

/** A signed scanner token, as a revocation weighs it: whose, and when it was issued. */
export interface TokenIssue {
  scanner_id: string;
  issued_at: Date;
}

/** What one POST /sync tells about its scanner, before its records are stored. */
export interface DeviceReport {
  scanner_id: string;
  /**
   * When the signed scanner token that sent it was issued: the sync is refused whole
   * (StoreError "revoked") if the scanner's tokens were revoked since. Absent: an
   * API_TOKENS caller, never revoked one by one.
   */
  token_issued_at?: Date | undefined;
  received_at: Date;
  sent_at: Date;
  /** Items in the batch, rejected ones included. */
  items: number;
  rejected: number;
  pending: number | null;
  oldest_pending_at: Date | null;
  app_version: string | null;
}

/** One POST /sync as device health keeps it: the report, and what the batch stored. */
export interface DeviceSync extends DeviceReport {
  accepted: number;
  duplicates: number;
  /** The events the batch's records belong to, with how many of them were new. */
  events: { event_id: string; records: number }[];
}

export type DeviceHealth = typeof pg.scannerDevices.$inferSelect;

/** Counts of one minute row of the entry flow (./pg/schema.ts). */
type MinuteCounts = Pick<typeof pg.eventMinutes.$inferSelect, "entries" | "valid_scans" | "invalid_scans">;

/** An event's admissions (GET /stats/attendance), before repeat scans are derived. */
export interface Attendance {
  admitted_count: number;
  valid_scan_count: number;
  invalid_scan_count: number;
  /** The earliest and the latest first entry. */
  first_entry_at: Date | null;
  last_entry_at: Date | null;
  /** The minute with the most first entries (the earliest such). */
  peak: { minute: Date; entries: number } | null;
  last_updated: Date | null;
}

/** A ticket's admission to an event (GET /admissions/{ticket_id}): its first entry and valid scans. */
export type Admission = Pick<typeof pg.ticketEntries.$inferSelect, "valid_scans" | "first_at"> & {
  first_location: string | null;
  first_scanner_id: string | null;
};

/** Successful and failed transfers of one key (a reason, a UTC day). */
type TransferCounts = Pick<typeof pg.transferReasons.$inferSelect, "successful" | "failed">;

/** An event's transfers for the revenue team (GET /stats/transfers/summary). */
export interface TransferSummary extends TransferCounts {
  /** Tickets with at least one successful transfer. */
  tickets_transferred: number;
  /** By total descending, then reason; no reason (null) last. */
  by_reason: (TransferCounts & { reason: string | null })[];
  /** UTC days (YYYY-MM-DD) with transfers, oldest first. */
  by_day: (TransferCounts & { date: string })[];
}

/** A ticket with two or more valid scans: its first two (DESIGN.md, "Signals"; ./signals.ts). */
export type DoubleEntryRow = Pick<
  typeof pg.ticketEntries.$inferSelect,
  | "ticket_id"
  | "valid_scans"
  | "first_at"
  | "first_uuid"
  | "first_location"
  | "first_scanner_id"
  | "first_received_at"
> & {
  second_at: Date;
  second_uuid: string;
  second_location: string;
  second_scanner_id: string;
  second_received_at: Date | null;
};

/** A ticket's transfers, its successful ones in time order. */
export type ChainRow = Pick<
  typeof pg.transferTickets.$inferSelect,
  "ticket_id" | "successful" | "failed" | "min_gap_ms"
> & {
  chain: ChainItem[];
};

/** A key's invalid records in one UTC minute, and per reason. */
export type BurstRow = Pick<typeof pg.burstKeys.$inferSelect, "key_kind" | "key" | "minute" | "records"> & {
  reasons: { reason: string; records: number }[];
};

/**
 * Where a page of double entries starts (the cursor of GET /stats/alerts, as this kind
 * sees it): second scans before `at`, and at `at` those `ties` lets in (all, none, or
 * tickets bytewise below one).
 */
export interface DoubleEntryBound {
  at: Date;
  ties: "all" | "none" | { below: string };
}

/** What GET /stats/alerts reads of an event's signal aggregates. */
export interface AlertQuery {
  /** Double entries: at most this many, newest second scan first (then ticket, bytewise descending). */
  limit: number;
  before: DoubleEntryBound | null;
  /** Thresholds that decide which rows are alerts: successful transfers in a chain, records in a burst. */
  transferChain: number;
  /** Two successful transfers this close (ms, inclusive) make a chain, whatever their count. */
  chainGapMs: number;
  burstCount: number;
  /** Kinds whose rows to read; the others are only counted. */
  rows: { double_entry: boolean; transfer_chain: boolean; invalid_burst: boolean };
}

export interface AlertRows {
  double_entry: { count: number; rows: DoubleEntryRow[] };
  transfer_chain: { count: number; rows: ChainRow[] };
  invalid_burst: { count: number; rows: BurstRow[] };
}

export interface TimelineFilter {
  event_id: string;
  /** The bucket's width in ms: a whole number of minutes. */
  bucketMs: number;
  /** Bucket-aligned bounds: `from` inclusive, `to` exclusive. */
  from: Date;
  to: Date;
  /** A gate ('' for scans without one) and a scanner: only their figures. */
  location?: string | undefined;
  scanner_id?: string | undefined;
}

/** One bucket with something in it: its start (epoch ms) and its counts; no attempts by gate. */
export type TimelineBucket = MinuteCounts & { t: number; invalid_attempts: number | null };

/** One scanner at one gate of an event: its figures, and its device health (null: never synced). */
export type GateScanner = MinuteCounts &
  Pick<typeof pg.gateScanners.$inferSelect, "last_scan_at"> & {
    location: string | null;
    scanner_id: string | null;
    entries_last_5_min: number;
    entries_last_15_min: number;
    last_sync_at: DeviceHealth["last_sync_at"] | null;
    pending: DeviceHealth["pending"];
    clock_offset_ms: DeviceHealth["clock_offset_ms"] | null;
  };

export interface Store {
  readonly dialect: Dialect;
  /**
   * Stores a batch atomically with its stats: every new record and its counts commit
   * together, or nothing does. A uuid already stored (or repeated within the batch)
   * is a duplicate: not stored again, not counted again. Outcomes are in input order.
   */
  insert(batch: RecordBatch): Promise<BatchOutcome>;
  eventStats(eventId: string): Promise<EventStats>;
  /** Every event's with records, or of `events` those with records (a scoped reader's). */
  allStats(events?: readonly string[]): Promise<EventStats[]>;
  listScans(filter: ListFilter): Promise<StoredScan[]>;
  listTransfers(filter: ListFilter): Promise<StoredTransfer[]>;
  listInvalidAttempts(filter: ListFilter): Promise<StoredInvalidAttempt[]>;
  /**
   * One page of an event's records of a kind, oldest first (GET /export/*): a keyset read
   * of the (event_id, own time, id) index, so every page costs the same however deep it is.
   */
  recordsPage<K extends RecordKind>(kind: K, filter: PageFilter): Promise<StoredRecords[K][]>;
  /** Whether the event has a record of this kind stored under `id` (a listing's `before_id` cursor). */
  hasRecord(kind: RecordKind, id: number, eventId: string): Promise<boolean>;
  /**
   * A scanner's batch (POST /sync): stored as insert() stores it, and the scanner's
   * health recorded with the counts of what it stored, in the same transaction (a D1
   * batch): the two commit together or not at all.
   */
  sync(batch: RecordBatch, device: DeviceReport): Promise<SyncOutcome>;
  /**
   * Scanners' health: every scanner, or those that synced for the event, or for any of the
   * events (a scanner of several of them may come more than once); most recently synced
   * first, then by scanner id bytewise.
   */
  deviceHealth(events?: string | readonly string[]): Promise<DeviceHealth[]>;
  /** An event's admissions: counts, first and last entry, peak minute. Zeros and nulls when it has none. */
  attendance(eventId: string): Promise<Attendance>;
  /**
   * A ticket's first entry and valid scans at an event; null: not admitted (no valid
   * scan). With `token`, asked by a scanner: refused (StoreError "revoked") if its token
   * is revoked, in the same read.
   */
  admission(eventId: string, ticketId: string, token?: TokenIssue): Promise<Admission | null>;
  /**
   * Revokes a scanner's signed tokens issued before `at` (never moving an earlier
   * revocation's moment back); answers the moment now in force.
   */
  revokeScanner(scannerId: string, at: Date): Promise<Date>;
  /** An event's transfers: totals, tickets transferred, per reason and per UTC day; zeros when it has none. */
  transferSummary(eventId: string): Promise<TransferSummary>;
  /** An event's alert rows and counts of each kind (GET /stats/alerts; ../signals/alerts.ts makes them alerts). */
  alertRows(eventId: string, q: AlertQuery): Promise<AlertRows>;
  /** The start of the event's first minute with a scan or an attempt and the end of its last; null: none. */
  activitySpan(eventId: string): Promise<{ first: Date; last: Date } | null>;
  /** The entry flow summed per bucket in [from, to); buckets with nothing are left out. */
  timelineBuckets(filter: TimelineFilter): Promise<TimelineBucket[]>;
  /** Each scanner at each gate of the event, with first entries of the 15 and 5 minutes up to `now`. */
  gateScanners(eventId: string, now: Date): Promise<GateScanner[]>;
  /**
   * Retention: deletes at most `chunk` records of each kind whose own time (scan,
   * transfer or attempt time) is before `cutoff.time` and which reached the server before
   * `cutoff.received`, oldest first by their own time, and answers how many it deleted
   * (0: nothing older is left). analytics_stats is never touched: purged records stay
   * counted.
   */
  purgeBefore(cutoff: PurgeCutoff, chunk: number): Promise<number>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** How loaded a Node store is, for /metrics (a Worker's store lives for one request). */
  pressure?(): Promise<StorePressure>;
  close(): Promise<void>;
}

/** A Node store's writes waiting and under way, and its Postgres pool's connections. */
export interface StorePressure {
  /** Write calls queued for group commit, not yet in a group. */
  writesQueued: number;
  /** Groups committing now. */
  writeGroupsInFlight: number;
  /** node-postgres's pool: connections open, idle, and callers waiting for one. */
  pool?: { total: number; idle: number; waiting: number };
}
