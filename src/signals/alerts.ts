// GET /stats/alerts (DESIGN.md, "Signals"): an event's alerts, newest first, a page at a
// time, from the signal aggregates the store keeps with the records (../store/signals.ts).
// The store reads the rows at or above the thresholds; here they become alerts (flags,
// severity, the time that raised each), in one order across kinds.
import * as z from "zod";
import { isoTime, isoTimeOfMs, isoTimeOrNull } from "../iso-time.js";
import { idString, listLimit } from "../records.js";
import { unkey } from "../store/entry-flow.js";
import type { BurstRow, ChainRow, DoubleEntryBound, DoubleEntryRow, Store } from "../store/types.js";
import { bytewise } from "../text-order.js";
import {
  ALERT_KINDS,
  type AlertKind,
  type AlertPlace,
  cursorParam,
  encodeCursor,
  newestFirst,
} from "./cursor.js";

/** The thresholds (config: ALERT_*), with DESIGN.md's defaults. */
export interface AlertThresholds {
  /** A scan that reached the server more than this after its own time was offline. */
  offlineLagSeconds: number;
  /** Two valid scans of a ticket at another gate or scanner within this are a passback. */
  passbackSeconds: number;
  /** Successful transfers of one ticket that make a chain. */
  transferChain: number;
  /** Invalid records of one key in one UTC minute that make a burst. */
  burstCount: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  offlineLagSeconds: 60,
  passbackSeconds: 900,
  transferChain: 3,
  burstCount: 10,
};

/** Two successful transfers this close (inclusive) make a chain, whatever the threshold. */
export const QUICK_TRANSFERS_MS = 600_000;
/** A chain shows its first this many users. */
const CHAIN_USERS = 20;

export const alertsQuery = z.strictObject({
  event_id: idString,
  kind: z
    .enum(ALERT_KINDS)
    .optional()
    .meta({ description: "Only alerts of this kind (the summary counts every kind)." }),
  limit: listLimit,
  before: cursorParam.optional().meta({
    description:
      "The `next` of the previous page. An alert whose `at` moved earlier meanwhile (a late record) may come again on a later page; none is skipped.",
  }),
});
export type AlertsQuery = z.output<typeof alertsQuery>;

/** One of a double entry's scans, as the alert shows it (times as ISO text: ../iso-time.ts). */
export interface ScanSeen {
  uuid: string;
  scanner_id: string | null;
  location: string | null;
  scan_timestamp: string;
  received_at: string | null;
}

export interface AlertBase {
  kind: AlertKind;
  severity: "high" | "medium" | "low";
  at: string;
}

/** An alert and its place in the listing. */
export interface Placed {
  place: AlertPlace;
  alert: AlertBase & Record<string, unknown>;
}

/** A scan of a double entry as its alert shows it. */
const seen = (
  uuid: string,
  scanner: string,
  location: string,
  at: Date,
  receivedAt: Date | null,
): ScanSeen => ({
  uuid,
  scanner_id: unkey(scanner),
  location: unkey(location),
  scan_timestamp: isoTime(at),
  received_at: isoTimeOrNull(receivedAt),
});

function doubleEntry(r: DoubleEntryRow, th: AlertThresholds): Placed {
  const first = seen(r.first_uuid, r.first_scanner_id, r.first_location, r.first_at, r.first_received_at);
  const second = seen(
    r.second_uuid,
    r.second_scanner_id,
    r.second_location,
    r.second_at,
    r.second_received_at,
  );
  // Unknown receive time (a scan purged before the upgrade that added it): not known late.
  const late = (at: Date, receivedAt: Date | null) =>
    receivedAt !== null && receivedAt.getTime() - at.getTime() > th.offlineLagSeconds * 1000;
  const gapMs = r.second_at.getTime() - r.first_at.getTime();
  const offline = late(r.first_at, r.first_received_at) || late(r.second_at, r.second_received_at);
  const otherScanner = first.scanner_id !== second.scanner_id;
  const passback = (first.location !== second.location || otherScanner) && gapMs <= th.passbackSeconds * 1000;
  return {
    place: { at: r.second_at.getTime(), kind: "double_entry", key: r.ticket_id },
    alert: {
      kind: "double_entry",
      severity: offline && otherScanner ? "high" : passback ? "medium" : "low",
      at: second.scan_timestamp,
      ticket_id: r.ticket_id,
      valid_scans: r.valid_scans,
      first,
      second,
      gap_seconds: gapMs / 1000,
      offline,
      passback,
    },
  };
}

function transferChain(r: ChainRow, th: AlertThresholds): Placed {
  const times = r.chain.map((item) => item[0]);
  // Raised by the transfer that met a threshold first: the Nth, or the later of the first
  // two within QUICK_TRANSFERS_MS.
  let at =
    r.successful >= th.transferChain ? (times[th.transferChain - 1] as number) : Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) {
    const t = times[i] as number;
    if (t >= at) break;
    if (t - (times[i - 1] as number) <= QUICK_TRANSFERS_MS) {
      at = t;
      break;
    }
  }
  const users = r.chain.length > 0 ? [r.chain[0]?.[2] as string, ...r.chain.map((item) => item[3])] : [];
  return {
    place: { at, kind: "transfer_chain", key: r.ticket_id },
    alert: {
      kind: "transfer_chain",
      severity: r.successful >= 2 * th.transferChain ? "high" : "medium",
      at: isoTimeOfMs(at),
      ticket_id: r.ticket_id,
      successful_transfers: r.successful,
      failed_transfers: r.failed,
      chain: users.slice(0, CHAIN_USERS),
      shortest_gap_seconds: r.min_gap_ms === null ? null : r.min_gap_ms / 1000,
    },
  };
}

function invalidBurst(r: BurstRow, th: AlertThresholds): Placed {
  const minute = isoTimeOfMs(r.minute);
  return {
    place: { at: r.minute, kind: "invalid_burst", key: `${r.key_kind}\u0000${r.key}` },
    alert: {
      kind: "invalid_burst",
      severity: r.records >= 3 * th.burstCount ? "high" : "medium",
      at: minute,
      key_kind: r.key_kind,
      key: r.key,
      minute,
      count: r.records,
      reasons: r.reasons
        .map(({ reason, records }) => ({ reason, count: records }))
        .sort((a, b) => b.count - a.count || bytewise(a.reason, b.reason)),
    },
  };
}

/** Where the page of double entries starts, given the previous page's last alert. */
function doubleEntryBound(before: AlertPlace | undefined): DoubleEntryBound | null {
  if (!before) return null;
  const at = new Date(before.at);
  if (before.kind === "double_entry") return { at, ties: { below: before.key } };
  // At the same time, double entries come after the other kinds (newestFirst).
  return { at, ties: "all" };
}

export async function alerts(store: Store, q: AlertsQuery, th: AlertThresholds) {
  const wanted = (kind: AlertKind) => q.kind === undefined || q.kind === kind;
  const rows = await store.alertRows(q.event_id, {
    // One more than a page: whether there is a next one.
    limit: q.limit + 1,
    before: doubleEntryBound(q.before),
    transferChain: th.transferChain,
    chainGapMs: QUICK_TRANSFERS_MS,
    burstCount: th.burstCount,
    rows: {
      double_entry: wanted("double_entry"),
      transfer_chain: wanted("transfer_chain"),
      invalid_burst: wanted("invalid_burst"),
    },
  });
  const before = q.before;
  const all = [
    ...rows.double_entry.rows.map((r) => doubleEntry(r, th)),
    ...rows.transfer_chain.rows.map((r) => transferChain(r, th)),
    ...rows.invalid_burst.rows.map((r) => invalidBurst(r, th)),
  ]
    .filter((p) => !before || newestFirst(before, p.place) < 0)
    .sort((a, b) => newestFirst(a.place, b.place));
  const page = all.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    event_id: q.event_id,
    summary: {
      double_entry: rows.double_entry.count,
      transfer_chain: rows.transfer_chain.count,
      invalid_burst: rows.invalid_burst.count,
    },
    alerts: page.map((p) => p.alert),
    count: page.length,
    next: all.length > q.limit && last ? encodeCursor(last.place) : null,
  };
}
