// Loads the demo event into a store: every record goes through the same validation as the
// HTTP API, then in batches through `Store.insert` (atomic, with exact stats; duplicates
// by uuid are neither stored nor counted again).
import { parseOrThrow } from "../../errors.js";
import { invalidAttemptInput, scanInput, transferInput } from "../../records.js";
import { toRow } from "../../store/rows.js";
import type { EventStats, RecordBatch, Store } from "../../store/types.js";
import { type DemoData, type DemoOptions, generateDemo } from "./generate.js";

export const BATCH_SIZE = 1000;

export interface LoadReport {
  data: DemoData;
  /** Records stored by this run. */
  stored: number;
  /** Records already stored under the same uuid (an earlier run). */
  present: number;
  batches: number;
  /** The event's stats after loading, as the API answers them. */
  stats: EventStats;
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
  const batches = splitBatch(demoBatch(data), BATCH_SIZE);
  let stored = 0;
  let present = 0;
  for (const [i, batch] of batches.entries()) {
    const out = await store.insert(batch);
    for (const outcome of [...out.scans, ...out.transfers, ...out.invalidAttempts]) {
      if (outcome.duplicate) present++;
      else stored++;
    }
    onBatch?.(i + 1, batches.length);
  }
  return { data, stored, present, batches: batches.length, stats: await store.eventStats(data.eventId) };
}
