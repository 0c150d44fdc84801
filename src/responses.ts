// Wire schemas of the answers, as src/records.ts holds those of the requests. They are what
// the OpenAPI document (src/http/openapi.ts) says each route answers, and the document
// tests hold every real answer to them. Stored records are described from the Drizzle
// tables themselves, so a new column reaches the document with nothing else to edit.
import { type Column, getTableColumns } from "drizzle-orm";
import * as z from "zod";
import { type ErrorCode, STATUS } from "./errors.js";
import { issue } from "./records.js";
import { COUNTER_NAMES, type StatCounter } from "./store/counters.js";
import {
  invalidAttempts,
  scannerDevices,
  scannerRevocations,
  ticketScans,
  ticketTransfers,
} from "./store/pg/schema.js";
import { BURST_KEY_KINDS } from "./store/signals.js";

/** A time in an answer: what Date's toJSON writes (UTC, milliseconds). */
const isoTime = z.iso.datetime({ offset: false }).meta({ example: "2024-01-15T10:30:45.000Z" });

/** JSON of each column type of the tables (Postgres names; SQLite's tables have the same columns). */
const JSON_OF: Record<string, () => z.ZodType> = {
  PgText: () => z.string(),
  PgBigSerial53: () => z.int().min(1),
  PgInteger: () => z.int(),
  PgBigInt53: () => z.int(),
  PgTimestamp: () => isoTime,
  PgBoolean: () => z.boolean(),
  PgJsonb: () => z.record(z.string(), z.unknown()),
};

/** A table's row as JSON: every column, nullable where the column is. */
function rowOf<T extends Parameters<typeof getTableColumns>[0]>(table: T) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, column] of Object.entries(getTableColumns(table) as Record<string, Column>)) {
    const json = JSON_OF[column.columnType];
    if (!json) throw new Error(`no JSON schema for column type ${column.columnType} (${name})`);
    shape[name] = column.notNull ? json() : json().nullable();
  }
  return z.strictObject(shape);
}

export const storedScan = rowOf(ticketScans).meta({ id: "StoredScan" });
export const storedTransfer = rowOf(ticketTransfers).meta({ id: "StoredTransfer" });
export const storedInvalidAttempt = rowOf(invalidAttempts).meta({ id: "StoredInvalidAttempt" });

/** POST /scans, /transfers, /invalid-attempts: the record's id and uuid (201: stored now). */
export const recordStored = z
  .strictObject({ id: z.int().min(1), uuid: z.string() })
  .meta({ id: "RecordStored" });
/** The same uuid again (200): nothing stored or counted, the first record's id answered. */
export const recordDuplicate = recordStored
  .extend({ duplicate: z.literal(true) })
  .meta({ id: "RecordDuplicate" });

export const eventStats = z
  .strictObject({
    event_id: z.string(),
    ...(Object.fromEntries(COUNTER_NAMES.map((c) => [c, z.int().min(0)])) as Record<StatCounter, z.ZodInt>),
    last_updated: isoTime.nullable(),
  })
  .meta({ id: "EventStats" });

/** GET /stats without event_id: every event's stats, keyed by event id. */
export const allEventStats = z.record(z.string(), eventStats).meta({ id: "AllEventStats" });

/** An answer's `count`: what this answer holds; a page's, never a total, for a paged one. */
const countHere = (what: string, paged: boolean) =>
  z
    .int()
    .min(0)
    .meta({
      description: `How many ${what} this answer holds${paged ? ": this page's, not the event's total" : ""}.`,
    });

const listing = <K extends string, S extends z.ZodType>(key: K, record: S) =>
  z.strictObject({ event_id: z.string(), [key]: z.array(record), count: countHere(key, true) } as {
    event_id: z.ZodString;
    count: z.ZodInt;
  } & Record<K, z.ZodArray<S>>);

export const scanListing = listing("scans", storedScan).meta({ id: "ScanListing" });
export const transferListing = listing("transfers", storedTransfer).meta({ id: "TransferListing" });
export const invalidAttemptListing = listing("attempts", storedInvalidAttempt).meta({
  id: "InvalidAttemptListing",
});

const { last_items, last_accepted, last_duplicates, last_rejected, ...deviceColumns } =
  rowOf(scannerDevices).shape;

/** A scanner's health (GET /stats/devices): its row, how long since it synced, and its last batch. */
export const deviceHealth = z
  .strictObject({
    ...deviceColumns,
    seconds_since_sync: z.int().min(0),
    last_batch: z.strictObject({
      items: last_items as z.ZodInt,
      accepted: last_accepted as z.ZodInt,
      duplicates: last_duplicates as z.ZodInt,
      rejected: last_rejected as z.ZodInt,
    }),
  })
  .meta({ id: "DeviceHealth" });

export const deviceListing = z
  .strictObject({
    event_id: z.string().nullable(),
    devices: z.array(deviceHealth),
    count: countHere("devices", false),
  })
  .meta({ id: "DeviceListing" });

/** A scanner's revocation (POST /admin/revocations): its signed tokens issued before `revoked_at` are refused. */
export const revocation = rowOf(scannerRevocations).meta({ id: "Revocation" });

export const healthOk = z
  .strictObject({ status: z.literal("ok"), database: z.enum(["postgres", "sqlite", "d1"]) })
  .meta({ id: "Health" });

const envelopes = new Map<number, ReturnType<typeof envelopeOf>>();

/** The one error envelope of every refusal, with the codes its status can carry (one schema per status). */
export function errorEnvelope(status: number) {
  let schema = envelopes.get(status);
  if (!schema) {
    schema = envelopeOf(status);
    envelopes.set(status, schema);
  }
  return schema;
}

function envelopeOf(status: number) {
  const codes = (Object.keys(STATUS) as ErrorCode[]).filter((code) => STATUS[code] === status);
  if (codes.length === 0) throw new Error(`no error code answers ${status}`);
  const base = {
    error: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    request_id: z.string(),
    issues: z.array(issue).optional(),
  };
  return z.strictObject(base).meta({ id: `Error${status}` });
}

/** GET /health's 503: the envelope with the health fields (AppError.fields). */
export const healthUnavailable = errorEnvelope(503)
  .extend({ status: z.literal("unavailable"), database: healthOk.shape.database })
  .meta({ id: "HealthUnavailable" });

// --- Entry flow (GET /stats/attendance, /stats/timeline, /stats/gates) -----------------

const count = () => z.int().min(0);

export const attendance = z
  .strictObject({
    event_id: z.string(),
    admitted_count: count().meta({
      description: "Distinct tickets with a valid scan: each admitted by its first entry.",
    }),
    valid_scan_count: count(),
    repeat_scan_count: count().meta({
      description: "Valid scans of tickets already admitted: valid_scan_count − admitted_count.",
    }),
    invalid_scan_count: count(),
    first_entry_at: isoTime.nullable().meta({ description: "The earliest first entry." }),
    last_entry_at: isoTime.nullable().meta({ description: "The latest first entry." }),
    peak: z
      .strictObject({ minute: isoTime, entries: z.int().min(1) })
      .nullable()
      .meta({
        description: "The minute with the most first entries (the earliest such); null without entries.",
      }),
    last_updated: isoTime.nullable(),
  })
  .meta({ id: "Attendance" });

export const timelinePoint = z
  .strictObject({
    t: isoTime.meta({ description: "The bucket's start." }),
    entries: count(),
    valid_scans: count(),
    invalid_scans: count(),
    invalid_attempts: count()
      .nullable()
      .meta({ description: "Null when the timeline is of a gate or scanner: attempts have neither." }),
  })
  .meta({ id: "TimelinePoint" });

export const timelineAnswer = z
  .strictObject({
    event_id: z.string(),
    bucket: z.string(),
    from: isoTime
      .nullable()
      .meta({ description: "The first bucket's start; null when the event has neither scans nor attempts." }),
    to: isoTime.nullable().meta({ description: "The end of the last bucket (exclusive)." }),
    points: z.array(timelinePoint),
  })
  .meta({ id: "Timeline" });

const gateFigures = {
  entries: count().meta({ description: "First entries here." }),
  valid_scans: count(),
  invalid_scans: count(),
  last_scan_at: isoTime.meta({ description: "The latest own time of any scan here, valid or not." }),
  entries_last_5_min: count().meta({
    description: "First entries whose own time lies in (now − 5 min, now], by the server's clock.",
  }),
};

export const gateScanner = z
  .strictObject({
    scanner_id: z.string().nullable(),
    ...gateFigures,
    last_sync_at: isoTime.nullable().meta({
      description: "When the server received the scanner's latest POST /sync; null if it never used it.",
    }),
    pending: z.int().min(0).nullable().meta({ description: "The backlog that sync reported." }),
    clock_offset_ms: z.int().nullable().meta({
      description:
        "The server's clock minus the device's at that sync (positive: the device is behind). Beyond a minute either way its clock is wrong; beyond a day the times it records are put on the server's clock.",
    }),
  })
  .meta({ id: "GateScanner" });

export const gate = z
  .strictObject({
    location: z
      .string()
      .nullable()
      .meta({ description: "The scans' location; null for scans without one (or an empty one)." }),
    ...gateFigures,
    entries_last_15_min: count(),
    scanners: z.array(gateScanner),
  })
  .meta({ id: "Gate" });

export const gatesAnswer = z
  .strictObject({ event_id: z.string(), gates: z.array(gate), count: countHere("gates", false) })
  .meta({ id: "Gates" });

export const admission = z
  .strictObject({
    event_id: z.string(),
    ticket_id: z.string(),
    admitted: z.boolean().meta({ description: "The ticket has a valid scan at this event." }),
    valid_scans: count().meta({ description: "Its valid scans: 1 for one entry, more for repeat scans." }),
    first_entry: z
      .strictObject({
        scan_timestamp: isoTime.meta({ description: "The first entry's own time (the scanner's clock)." }),
        scanner_id: z.string().nullable(),
        location: z.string().nullable(),
      })
      .nullable()
      .meta({ description: "Its earliest valid scan by own time (ties by uuid); null when not admitted." }),
  })
  .meta({ id: "Admission" });

// --- Signals (GET /stats/transfers/summary) --------------------------------------------

const transferCounts = { successful: count(), failed: count() };

export const transferSummary = z
  .strictObject({
    event_id: z.string(),
    ...transferCounts,
    tickets_transferred: count().meta({ description: "Tickets with at least one successful transfer." }),
    by_reason: z.array(z.strictObject({ reason: z.string().nullable(), ...transferCounts })).meta({
      description:
        'By total descending, then reason; transfers without a reason (null) last, whatever their count (as an "other" row of a report).',
    }),
    by_day: z
      .array(z.strictObject({ date: z.iso.date(), ...transferCounts }))
      .meta({ description: "UTC days (by the transfer's own time) with transfers, oldest first." }),
  })
  .meta({ id: "TransferSummary" });

// --- Signals (GET /stats/alerts) --------------------------------------------------------

const severity = z.enum(["high", "medium", "low"]);
const alertAt = (what: string) => isoTime.meta({ description: `The own time of ${what}.` });

const scanSeen = z
  .strictObject({
    uuid: z.string(),
    scanner_id: z.string().nullable(),
    location: z.string().nullable(),
    scan_timestamp: isoTime.meta({ description: "Its own time (the scanner's clock)." }),
    received_at: isoTime
      .nullable()
      .meta({ description: "When the server stored it; null only for scans purged before this was kept." }),
  })
  .meta({ id: "AlertScan" });

export const doubleEntryAlert = z
  .strictObject({
    kind: z.literal("double_entry"),
    severity: severity.meta({
      description: "high: offline on two scanners; medium: a passback; low: otherwise.",
    }),
    at: alertAt("the second valid scan"),
    ticket_id: z.string(),
    valid_scans: z.int().min(2),
    first: scanSeen,
    second: scanSeen,
    gap_seconds: z.number().min(0),
    offline: z.boolean().meta({
      description: "Either scan reached the server more than ALERT_OFFLINE_LAG_SECONDS after its own time.",
    }),
    passback: z.boolean().meta({
      description: "Another gate or scanner, within ALERT_PASSBACK_SECONDS of the first.",
    }),
  })
  .meta({ id: "DoubleEntryAlert" });

export const transferChainAlert = z
  .strictObject({
    kind: z.literal("transfer_chain"),
    severity: severity.meta({
      description: "high at twice ALERT_TRANSFER_CHAIN successful transfers, else medium.",
    }),
    at: alertAt("the transfer that met the threshold"),
    ticket_id: z.string(),
    successful_transfers: count(),
    failed_transfers: count(),
    chain: z.array(z.string()).meta({
      description:
        "The first transfer's sender, then each successful transfer's receiver, in time order (the first 20).",
    }),
    shortest_gap_seconds: z.number().min(0).nullable(),
  })
  .meta({ id: "TransferChainAlert" });

export const invalidBurstAlert = z
  .strictObject({
    kind: z.literal("invalid_burst"),
    severity: severity.meta({ description: "high at three times ALERT_BURST_COUNT, else medium." }),
    at: isoTime.meta({ description: "The burst's minute." }),
    key_kind: z.enum(BURST_KEY_KINDS),
    key: z.string(),
    minute: isoTime,
    count: z
      .int()
      .min(1)
      .meta({ description: "Invalid attempts and invalid scans of the minute with this key." }),
    reasons: z
      .array(z.strictObject({ reason: z.string(), count: z.int().min(1) }))
      .meta({ description: "By count descending; an invalid scan counts as `invalid_scan`." }),
  })
  .meta({ id: "InvalidBurstAlert" });

export const alertsAnswer = z
  .strictObject({
    event_id: z.string(),
    summary: z
      .strictObject({ double_entry: count(), transfer_chain: count(), invalid_burst: count() })
      .meta({ description: "The event's alerts of each kind, whatever `kind` asks for." }),
    alerts: z.array(z.discriminatedUnion("kind", [doubleEntryAlert, transferChainAlert, invalidBurstAlert])),
    count: countHere("alerts", true).meta({
      description: "How many alerts this page holds, not a total: `summary` has the event's.",
    }),
    next: z
      .string()
      .nullable()
      .meta({ description: "Pass as `before` for the next page; null on the last page." }),
  })
  .meta({ id: "Alerts" });

/** The header of the answers no cache may keep: an admission is asked before a gate admits, an export is its moment's. */
export const NO_STORE = {
  "Cache-Control": {
    description: "`no-store`: no cache, the browser's or a proxy's, may keep the answer.",
    schema: { type: "string", enum: ["no-store"] },
  },
};
