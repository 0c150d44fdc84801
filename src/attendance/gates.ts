// GET /stats/gates: an event's gates, each with its scanners, busiest first. The store
// answers one row per (gate, scanner); this adds them up per gate. Times as ISO text
// (../iso-time.ts).
import { isoTime, isoTimeOfMs, isoTimeOrNull } from "../iso-time.js";
import type { GateScanner, Store } from "../store/types.js";
import { bytewise } from "../text-order.js";

const byEntries =
  <T extends { entries: number }>(key: (x: T) => string | null) =>
  (a: T, b: T) =>
    b.entries - a.entries || compareKeys(key(a), key(b));
/** Names in code-point order, null (no gate, no scanner id) last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return bytewise(a, b);
}

const scannerView = (s: GateScanner) => ({
  scanner_id: s.scanner_id,
  entries: s.entries,
  valid_scans: s.valid_scans,
  invalid_scans: s.invalid_scans,
  last_scan_at: isoTime(s.last_scan_at),
  entries_last_5_min: s.entries_last_5_min,
  last_sync_at: isoTimeOrNull(s.last_sync_at),
  pending: s.pending,
  clock_offset_ms: s.clock_offset_ms,
});

export async function gates(store: Store, eventId: string, now = new Date()) {
  const byGate = new Map<string | null, GateScanner[]>();
  for (const row of await store.gateScanners(eventId, now)) {
    const list = byGate.get(row.location) ?? [];
    list.push(row);
    byGate.set(row.location, list);
  }
  const sum = (rows: GateScanner[], f: (r: GateScanner) => number) => rows.reduce((n, r) => n + f(r), 0);
  const list = [...byGate].map(([location, rows]) => ({
    location,
    entries: sum(rows, (r) => r.entries),
    valid_scans: sum(rows, (r) => r.valid_scans),
    invalid_scans: sum(rows, (r) => r.invalid_scans),
    last_scan_at: isoTimeOfMs(Math.max(...rows.map((r) => r.last_scan_at.getTime()))),
    entries_last_5_min: sum(rows, (r) => r.entries_last_5_min),
    entries_last_15_min: sum(rows, (r) => r.entries_last_15_min),
    scanners: rows.sort(byEntries((s) => s.scanner_id)).map(scannerView),
  }));
  list.sort(byEntries((g) => g.location));
  return { event_id: eventId, gates: list, count: list.length };
}
