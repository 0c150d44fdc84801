// The service of the spec: log a ticket scan, a transfer, an invalid attempt; read the
// stats and the recent records; take a gate scanner's batch and tell its health. It knows
// nothing of HTTP (routes call it; use it as a library too) and reaches the database
// only through the store.
import type * as z from "zod";
import { gates } from "./attendance/gates.js";
import type { TimelineQuery } from "./attendance/queries.js";
import { timeline } from "./attendance/timeline.js";
import type { Principal } from "./auth/roles.js";
import { parseOrThrow, validationError } from "./errors.js";
import { isoTime, isoTimeOrNull } from "./iso-time.js";
import {
  type InvalidAttemptData,
  type InvalidAttemptInput,
  invalidAttemptInput,
  type ListQuery,
  type ScanData,
  type ScanInput,
  type SyncRequest,
  scanInput,
  type TransferData,
  type TransferInput,
  transferInput,
} from "./records.js";
import { type AlertsQuery, type AlertThresholds, alerts, DEFAULT_THRESHOLDS } from "./signals/alerts.js";
import type { Kind } from "./store/columns.js";
import { COUNTER_NAMES, type StatCounter } from "./store/counters.js";
import { toRow } from "./store/rows.js";
import type {
  DeviceHealth,
  EventStats,
  InsertOutcome,
  PageFilter,
  RecordBatch,
  Store,
} from "./store/types.js";
import { syncBatch } from "./sync.js";
import { bytewise } from "./text-order.js";

/** A device row's fields that GET /stats/devices answers as `last_batch`. */
type BatchField = "last_items" | "last_accepted" | "last_duplicates" | "last_rejected";

/**
 * A scanner's health as GET /stats/devices answers it. Every field named, not a spread of
 * the row with fields added (a copy V8 then builds off its fast path), and times as ISO
 * text (./iso-time.ts): 80 devices took ~500 µs to build and stringify, ~90 so.
 */
function deviceView(d: DeviceHealth, now: number) {
  return {
    scanner_id: d.scanner_id,
    last_sync_at: isoTime(d.last_sync_at),
    last_sent_at: isoTime(d.last_sent_at),
    clock_offset_ms: d.clock_offset_ms,
    total_accepted: d.total_accepted,
    pending: d.pending,
    oldest_pending_at: isoTimeOrNull(d.oldest_pending_at),
    app_version: d.app_version,
    seconds_since_sync: Math.max(0, Math.round((now - d.last_sync_at.getTime()) / 1000)),
    last_batch: {
      items: d.last_items,
      accepted: d.last_accepted,
      duplicates: d.last_duplicates,
      rejected: d.last_rejected,
    },
    // A column added to scanner_devices and not named above fails here.
  } satisfies Record<Exclude<keyof DeviceHealth, BatchField>, unknown> & Record<string, unknown>;
}

/** A record of each kind as its schema reads it. */
interface RecordData {
  scans: ScanData;
  transfers: TransferData;
  invalidAttempts: InvalidAttemptData;
}

export interface AnalyticsOptions {
  /** GET /stats/alerts' thresholds (config ALERT_*); DESIGN.md's defaults where left out. */
  alerts?: Partial<AlertThresholds>;
}

/** Up to this many events, a scoped reader's GET /stats reads each; beyond, all at once. */
const EVENTS_READ_ONE_BY_ONE = 8;

/** An event's counters before its first record (as the stores answer it). */
const noRecords = (eventId: string): EventStats => ({
  event_id: eventId,
  ...(Object.fromEntries(COUNTER_NAMES.map((c) => [c, 0])) as Record<StatCounter, number>),
  last_updated: null,
});

export function createAnalytics(store: Store, options: AnalyticsOptions = {}) {
  /**
   * A listing's page. An empty page after a `before_id` that names no stored record of
   * the event (its record purged by retention, an id never given out, or another event's)
   * is a 400, not an empty page that reads as the end of the list; looked up only then.
   */
  async function listed<T>(kind: Kind, q: ListQuery, list: (q: ListQuery) => Promise<T[]>): Promise<T[]> {
    const rows = await list(q);
    if (
      rows.length === 0 &&
      q.before_id !== undefined &&
      !(await store.hasRecord(kind, q.before_id, q.event_id))
    ) {
      throw validationError([
        {
          path: "before_id",
          message:
            "names no stored record of this event (retention may have removed it): page again from the newest, or by `to`",
        },
      ]);
    }
    return rows;
  }

  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.alerts };
  /** Stores one validated record; the same uuid again is a duplicate, counted once. */
  const record = async <K extends Kind>(kind: K, data: RecordData[K]): Promise<InsertOutcome> => {
    const batch: RecordBatch = { scans: [], transfers: [], invalidAttempts: [] };
    (batch[kind] as unknown[]).push(toRow(kind, data));
    const out = await store.insert(batch);
    return out[kind][0] as InsertOutcome;
  };
  /** Validates, then stores: for callers whose input nothing has checked yet. */
  const log = <K extends Kind>(kind: K, schema: z.ZodType<RecordData[K]>, input: unknown) =>
    record(kind, parseOrThrow(schema, input));

  return {
    /** Which database answers: "postgres", "sqlite" or "d1". */
    database: store.dialect,
    /** Throws when the database does not answer, or lacks the schema. */
    ping: () => store.ping(),

    /** One record already read by its schema (the HTTP routes validate the body first). */
    record,
    logTicketScan: (input: ScanInput) => log("scans", scanInput, input),
    logTicketTransfer: (input: TransferInput) => log("transfers", transferInput, input),
    logInvalidAttempt: (input: InvalidAttemptInput) => log("invalidAttempts", invalidAttemptInput, input),

    /** An event without records has zero counts and `last_updated: null`. */
    getEventStats: (eventId: string): Promise<EventStats> => store.eventStats(eventId),
    /**
     * Every event's with records; of `events`, when given (an event-scoped reader), each
     * one, zeros for one without records yet: the reader was given that event, and is
     * told of it before its doors open. Each read on its own, so the cost follows the
     * reader's events, not the platform's.
     */
    async getAllStats(events?: readonly string[]): Promise<EventStats[]> {
      if (!events) return store.allStats();
      // In the order of every reader's answer (the store's), not the token's.
      const ordered = [...events].sort(bytewise);
      if (events.length <= EVENTS_READ_ONE_BY_ONE)
        return Promise.all(ordered.map((e) => store.eventStats(e)));
      // A reader of many events: a query per 90 of them rather than one per event (a Worker
      // may make only so many per request: 50 on D1's free plan), never one of every event.
      const found = new Map((await store.allStats(ordered)).map((s) => [s.event_id, s]));
      return ordered.map((e) => found.get(e) ?? noRecords(e));
    },
    recentScans: (q: ListQuery) => listed("scans", q, (f) => store.listScans(f)),
    recentTransfers: (q: ListQuery) => listed("transfers", q, (f) => store.listTransfers(f)),
    recentInvalidAttempts: (q: ListQuery) =>
      listed("invalidAttempts", q, (f) => store.listInvalidAttempts(f)),
    /** An event's records of one kind, oldest first by their own time, a page after another (GET /export/*). */
    exportPage: <K extends Kind>(kind: K, filter: PageFilter) => store.recordsPage(kind, filter),

    /** An event's admissions; zeros and nulls for an event without records. */
    async attendance(eventId: string) {
      const a = await store.attendance(eventId);
      const { admitted_count, valid_scan_count, invalid_scan_count, ...times } = a;
      return {
        event_id: eventId,
        admitted_count,
        valid_scan_count,
        repeat_scan_count: valid_scan_count - admitted_count,
        invalid_scan_count,
        ...times,
      };
    },
    /**
     * Has this ticket been admitted to the event: when, where, and how many valid scans
     * (GET /admissions). Asked with a signed scanner token: refused if it was revoked.
     */
    async admission(eventId: string, ticketId: string, principal?: Principal) {
      const token =
        principal?.scannerId && principal.issuedAt
          ? { scanner_id: principal.scannerId, issued_at: principal.issuedAt }
          : undefined;
      const a = await store.admission(eventId, ticketId, token);
      return {
        event_id: eventId,
        ticket_id: ticketId,
        admitted: a !== null,
        valid_scans: a?.valid_scans ?? 0,
        first_entry: a && {
          scan_timestamp: a.first_at,
          scanner_id: a.first_scanner_id,
          location: a.first_location,
        },
      };
    },
    /** An event's transfers for the revenue team; zeros and empty lists for an event without any. */
    transferSummary: async (eventId: string) => ({
      event_id: eventId,
      ...(await store.transferSummary(eventId)),
    }),
    /** An event's alerts, newest first, a page at a time, with counts of each kind (./signals/alerts.ts). */
    alerts: (q: AlertsQuery) => alerts(store, q, thresholds),
    /** An event's entry flow per bucket (./attendance/timeline.ts). */
    timeline: (q: TimelineQuery) => timeline(store, q),
    /** An event's gates and their scanners, busiest first; `now` sets the last-minutes windows. */
    gates: (eventId: string, now?: Date) => gates(store, eventId, now),

    /** Revokes a scanner's signed tokens issued before now (POST /admin/revocations, `npm run token -- revoke`). */
    revokeScanner: (scannerId: string, now = new Date()) => store.revokeScanner(scannerId, now),
    /** POST /sync: a gate scanner's batch (its envelope read by `syncRequest`), item by item (./sync.ts). */
    syncBatch: (principal: Principal, request: SyncRequest, now?: Date) =>
      syncBatch(store, principal, request, now),
    /**
     * Every scanner, or those that uploaded records of one event, or of any of several;
     * most recently synced first.
     */
    async deviceHealth(events?: string | readonly string[]) {
      const now = Date.now();
      if (typeof events === "string" || events === undefined) {
        return (await store.deviceHealth(events)).map((d) => deviceView(d, now));
      }
      // A scanner of several of the events comes once, where it first came (in the store's order).
      const seen = new Map<string, DeviceHealth>();
      for (const d of await store.deviceHealth(events))
        if (!seen.has(d.scanner_id)) seen.set(d.scanner_id, d);
      return [...seen.values()].map((d) => deviceView(d, now));
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
/** What storing one record came to: its id and uuid, and whether it was new. */
export type RecordOutcome = Awaited<ReturnType<Analytics["record"]>>;
