// Random events for the entry-flow property tests: seeded, so a failing case can be
// replayed from its seed.

import { mulberry32 } from "../../src/cli/demo/random.js";
import type { InvalidAttemptRow, ScanRow } from "../../src/store/types.js";
import { attemptRow, scanRow } from "./records.js";

/** The demo's own seeded generator (src/cli/demo/random.ts). */
export const random = mulberry32;
export type Rand = ReturnType<typeof random>;
export const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
export const hex = (rand: Rand, n: number) =>
  Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
export function shuffle<T>(rand: Rand, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const GATES = ["North", "South", "East", null, ""] as const;
const SCANNERS = ["s1", "s2", "s3", "s4", null] as const;
export const BASE = Date.UTC(2026, 5, 1, 18, 0, 0);
export const HOURS = 3 * 3_600_000;

export type Item = { kind: "scan"; row: ScanRow } | { kind: "attempt"; row: InvalidAttemptRow };

/**
 * An event's records: tickets scanned 0–4 times (some at the same instant: the uuid decides),
 * valid and not, at several gates and scanners (some without), over hours; invalid attempts,
 * some of another event or none. `head` starts every uuid: two events generated from one seed
 * with different heads have the same records, their uuids in the same order.
 */
export function generate(seed: number, eventId: string, head: string): Item[] {
  const rand = random(seed);
  const uuid = () => `${head}-${hex(rand, 4)}-7${hex(rand, 3)}-8${hex(rand, 3)}-${hex(rand, 12)}`;
  const items: Item[] = [];
  for (let t = 0; t < 30; t++) {
    const times: number[] = [];
    const scans = Math.floor(rand() * 5);
    for (let s = 0; s < scans; s++) {
      const time = times.length && rand() < 0.25 ? pick(rand, times) : BASE + Math.floor(rand() * HOURS);
      times.push(time);
      const row = scanRow({
        uuid: uuid(),
        event_id: eventId,
        ticket_id: `T${t}`,
        scan_timestamp: new Date(time),
        is_valid: rand() < 0.8,
        location: pick(rand, GATES),
        scanner_id: pick(rand, SCANNERS),
      });
      items.push({ kind: "scan", row });
    }
  }
  for (let i = 0; i < 12; i++) {
    const row = attemptRow({
      uuid: uuid(),
      event_id: i % 6 === 5 ? null : eventId,
      attempt_timestamp: new Date(BASE - 3_600_000 + Math.floor(rand() * (HOURS + 7_200_000))),
    });
    items.push({ kind: "attempt", row });
  }
  return items;
}

type GatesAnswer = {
  gates: {
    location: string | null;
    scanners: {
      scanner_id: string | null;
      entries: number;
      valid_scans: number;
      invalid_scans: number;
      /** ISO text in an answer; a Date where a test holds one. */
      last_scan_at: string | Date;
      entries_last_5_min: number;
    }[];
  }[];
};
type Keyed = { location: string | null; scanner_id: string | null };

/** GET /stats/gates's scanners as rows like recomputeGateScanners's (without the 15-minute window). */
export const scannerRows = (answer: GatesAnswer) =>
  answer.gates.flatMap((g) =>
    g.scanners.map((s) => ({
      location: g.location,
      scanner_id: s.scanner_id,
      entries: s.entries,
      valid_scans: s.valid_scans,
      invalid_scans: s.invalid_scans,
      last_scan_at: new Date(s.last_scan_at).toISOString(),
      entries_last_5_min: s.entries_last_5_min,
    })),
  );

/** Rows in one order, by gate then scanner, to compare two lists whatever their order. */
export const byGateAndScanner = <T extends Keyed>(xs: T[]): T[] => {
  const key = (x: Keyed) => `${x.location}|${x.scanner_id}`;
  return [...xs].sort((p, q) => (key(p) < key(q) ? -1 : 1));
};
