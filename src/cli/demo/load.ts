// Loads the demo event into a store: every record goes through the same validation as the
// HTTP API, then in batches, atomic, with exact stats (duplicates by uuid are neither
// stored nor counted again). Each gate scanner's scans go as its own uploads
// (`Store.sync`, as POST /sync stores them), so its device health is the demo's too: its
// last sync, and one scanner still holding a backlog; the rest through `Store.insert`.
import { parseOrThrow } from "../../errors.js";
import { invalidAttemptInput, scanInput, transferInput } from "../../records.js";
import { toRow } from "../../store/rows.js";
import type { EventStats, RecordBatch, ScanRow, Store } from "../../store/types.js";
import { type Evening, eveningOf } from "./evening.js";
import { type DemoData, type DemoOptions, generateDemo } from "./generate.js";

export const BATCH_SIZE = 1000;

/** The scanner whose last upload says it still holds scans (its battery died, say). */
export const DEMO_BACKLOG = { scanner_id: "gate-south-02", pending: 18 } as const;
const APP_VERSION = "2.4.1";

export interface LoadReport {
  data: DemoData;
  /** Records stored by this run. */
  stored: number;
  /** Records already stored under the same uuid (an earlier run). */
  present: number;
  batches: number;
  /** The event's stats after loading, as the API answers them. */
  stats: EventStats;
  /**
   * The evening the event's records are on: `data.evening`, unless an earlier run with
   * another --date stored these very records (same uuids), which then stay on its evening.
   */
  evening: Evening;
}

export function demoBatch(data: DemoData): RecordBatch {
  return {
    scans: data.scans.map((r) => toRow("scans", parseOrThrow(scanInput, r))),
    transfers: data.transfers.map((r) => toRow("transfers", parseOrThrow(transferInput, r))),
    invalidAttempts: data.invalidAttempts.map((r) =>
      toRow("invalidAttempts", parseOrThrow(invalidAttemptInput, r)),
    ),
  };
}

/** Cuts a batch into batches of at most `size` records, in order: scans, transfers, attempts. */
export function splitBatch(all: RecordBatch, size: number): RecordBatch[] {
  const t0 = all.scans.length;
  const t1 = t0 + all.transfers.length;
  const total = t1 + all.invalidAttempts.length;
  const parts: RecordBatch[] = [];
  for (let start = 0; start < total; start += size) {
    const part = <T>(rows: T[], offset: number) =>
      rows.slice(Math.max(0, start - offset), Math.max(0, start + size - offset));
    parts.push({
      scans: part(all.scans, 0),
      transfers: part(all.transfers, t0),
      invalidAttempts: part(all.invalidAttempts, t1),
    });
  }
  return parts;
}

export async function loadDemo(
  store: Store,
  options: DemoOptions = {},
  onBatch?: (done: number, total: number) => void,
): Promise<LoadReport> {
  const data = generateDemo(options);
  const all = demoBatch(data);
  const byScanner = new Map<string, ScanRow[]>();
  const unscanned: ScanRow[] = [];
  for (const scan of all.scans) {
    if (scan.scanner_id === null) unscanned.push(scan);
    else {
      const rows = byScanner.get(scan.scanner_id);
      if (rows) rows.push(scan);
      else byScanner.set(scan.scanner_id, [scan]);
    }
  }
  const uploads = [...byScanner].flatMap(([scanner_id, scans]) =>
    splitBatch({ scans, transfers: [], invalidAttempts: [] }, BATCH_SIZE).map((batch, i, parts) => ({
      scanner_id,
      batch,
      last: i === parts.length - 1,
    })),
  );
  const batches = splitBatch({ ...all, scans: unscanned }, BATCH_SIZE);
  const total = uploads.length + batches.length;
  let [stored, present, done] = [0, 0, 0];
  for (const { scanner_id, batch, last } of uploads) {
    const now = new Date();
    const backlog = last && scanner_id === DEMO_BACKLOG.scanner_id;
    const out = await store.sync(batch, {
      scanner_id,
      received_at: now,
      sent_at: now,
      items: batch.scans.length,
      rejected: 0,
      pending: backlog ? DEMO_BACKLOG.pending : 0,
      oldest_pending_at: backlog ? new Date(data.evening.end.getTime() - 10 * 60_000) : null,
      app_version: APP_VERSION,
    });
    stored += out.scans.stored;
    present += out.scans.duplicates;
    onBatch?.(++done, total);
  }
  for (const batch of batches) {
    const out = await store.insert(batch);
    for (const outcome of [...out.scans, ...out.transfers, ...out.invalidAttempts]) {
      if (outcome.duplicate) present++;
      else stored++;
    }
    onBatch?.(++done, total);
  }
  const first = present > 0 ? (await store.attendance(data.eventId)).first_entry_at : null;
  const storedOn = first?.toISOString().slice(0, 10);
  return {
    data,
    stored,
    present,
    batches: total,
    stats: await store.eventStats(data.eventId),
    evening: storedOn && storedOn !== data.evening.date ? eveningOf(storedOn) : data.evening,
  };
}
