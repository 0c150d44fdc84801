// A scanner's device health from its report and the fate of the batch's records, counted
// once the records are stored, in their own transaction: by the SQLite writer, and by
// Postgres for a sync of several kinds. (A Postgres sync of one kind counts it in SQL in
// the statement that stores it, D1 in SQL that runs before the inserts of its batch.)
import { KIND_NAMES } from "./columns.js";
import type { BatchOutcome, DeviceReport, DeviceSync, RecordBatch, SyncOutcome } from "./types.js";

/** One valid record of the batch: its event, and whether this batch stored it (not a duplicate). */
export interface RecordFate {
  event_id: string | null;
  fresh: boolean;
}

export function deviceSync(report: DeviceReport, records: Iterable<RecordFate>): DeviceSync {
  let accepted = 0;
  let total = 0;
  const events = new Map<string, number>();
  for (const r of records) {
    total++;
    if (r.fresh) accepted++;
    // An event counts even if all its records were duplicates: the scanner did sync it.
    if (r.event_id !== null) events.set(r.event_id, (events.get(r.event_id) ?? 0) + (r.fresh ? 1 : 0));
  }
  return {
    ...report,
    accepted,
    duplicates: total - accepted,
    events: [...events].map(([event_id, records]) => ({ event_id, records })),
  };
}

/** The batch's records with their outcomes (input order on both sides). */
export function* fatesOf(batch: RecordBatch, out: BatchOutcome): Generator<RecordFate> {
  for (const kind of KIND_NAMES) {
    const rows = batch[kind] as { event_id: string | null }[];
    for (const [i, row] of rows.entries()) {
      yield { event_id: row.event_id, fresh: out[kind][i]?.duplicate === false };
    }
  }
}

export const nothingStored = (): SyncOutcome => ({
  scans: { stored: 0, duplicates: 0 },
  transfers: { stored: 0, duplicates: 0 },
  invalidAttempts: { stored: 0, duplicates: 0 },
});

/** A batch's outcomes as a sync answers them: how many of each kind were new. */
export function syncOutcome(out: BatchOutcome): SyncOutcome {
  const count = (outcomes: { duplicate: boolean }[]) => {
    const duplicates = outcomes.filter((o) => o.duplicate).length;
    return { stored: outcomes.length - duplicates, duplicates };
  };
  return {
    scans: count(out.scans),
    transfers: count(out.transfers),
    invalidAttempts: count(out.invalidAttempts),
  };
}
