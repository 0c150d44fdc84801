// The scans of the drain benchmarks: buffered once on a gate device's ScanBuffer (one local
// transaction), then copied per backend, and the same rows as the references load them
// (a CSV file for Postgres' COPY, encoded rows for a bare SQLite insert).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ScanBuffer, type ScanItem, type ScanRecordInput } from "../../scanner-sync/src/index.js";
import { note } from "./progress.js";
import { BASE_MS, DAY_MS } from "./seed-plan.js";

export const DRAIN_EVENT = "bench-drain";
export const DRAIN_SCANNER = "gate-bench-01";
/** The columns both references load, in this order (those POST /sync stores). */
export const SCAN_COLUMNS = [
  "uuid",
  "ticket_id",
  "event_id",
  "scanner_id",
  "scan_timestamp",
  "is_valid",
  "location",
  "device_info",
  "additional_metadata",
] as const;

/** The n-th scan as a gate app hands it over (uuid, scanner id filled in by the buffer). */
export const benchScan = (n: number, eventId = DRAIN_EVENT): ScanRecordInput => ({
  event_id: eventId,
  ticket_id: `T-${n}`,
  // Three UTC days in the past, so stats fall on three (event, day) rows.
  scan_timestamp: new Date(BASE_MS + (n % 3) * DAY_MS + ((n * 7919) % DAY_MS)).toISOString(),
  is_valid: n % 47 !== 0,
  location: `Gate ${n % 8}`,
  device_info: "bench-scanner",
  additional_metadata: { lane: n % 4, firmware: "1.2.3" },
});

/** Scans of another event and device, drained before the timed drain to warm the server up. */
export const WARMUP_EVENT = "bench-drain-warmup";
export const WARMUP_SCANNER = "gate-bench-warmup";
export const WARMUP_RECORDS = 3000;

export interface DrainData {
  records: number;
  items: ScanItem[];
  /** Expected stats of DRAIN_EVENT. */
  valid: number;
  /** Seconds the fill took (ScanBuffer.importNdjson: one local transaction). */
  fillSeconds: number;
  /** A fresh copy of the filled buffer file, opened. */
  openCopy(label: string): ScanBuffer;
  /** A new buffer of WARMUP_RECORDS scans of WARMUP_EVENT (from WARMUP_SCANNER), opened. */
  openWarmup(label: string): ScanBuffer;
  /** The items as CSV (columns SCAN_COLUMNS), for COPY; written once. */
  csvPath(): string;
  /** The items as ticket_scans rows of the SQLite schema (ms timestamps, 0/1, JSON text). */
  sqliteRows(): unknown[][];
  remove(): void;
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return ""; // unquoted empty: NULL
  const s = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  return s === "" || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

const columnsOf = (item: ScanItem) => SCAN_COLUMNS.map((c) => (item as Record<string, unknown>)[c]);

/** Fills a ScanBuffer with `records` scans in one local transaction (untimed by the figures). */
export function fillDrainData(records: number): DrainData {
  const dir = mkdtempSync(join(tmpdir(), "veritix-bench-drain-"));
  const template = join(dir, "template.db");
  const buffer = ScanBuffer.open({ path: template, scannerId: DRAIN_SCANNER });
  let items: ScanItem[];
  const start = performance.now();
  try {
    // One local transaction, every line validated as record() would (and ~25% faster than
    // record() calls inside buffer.transaction).
    const ndjson = Array.from({ length: records }, (_, n) => JSON.stringify(benchScan(n))).join("\n");
    const { imported } = buffer.importNdjson(ndjson);
    if (imported !== records) throw new Error(`imported ${imported} scans, expected ${records}`);
    items = buffer.outbox.pending(records).map((p) => JSON.parse(p.json) as ScanItem);
    buffer.db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    buffer.close();
  }
  const fillSeconds = (performance.now() - start) / 1000;
  if (items.length !== records) throw new Error(`buffer holds ${items.length} items, expected ${records}`);
  note(`filled a ScanBuffer with ${records.toLocaleString("en-US")} scans in ${fillSeconds.toFixed(1)} s`);
  let csv: string | undefined;
  let copies = 0;
  return {
    records,
    items,
    valid: items.filter((i) => i.is_valid).length,
    fillSeconds,
    openCopy(label) {
      const path = join(dir, `${label}-${copies++}.db`);
      copyFileSync(template, path);
      return ScanBuffer.open({ path, scannerId: DRAIN_SCANNER });
    },
    openWarmup(label) {
      const warm = ScanBuffer.open({
        path: join(dir, `${label}-warmup-${copies++}.db`),
        scannerId: WARMUP_SCANNER,
      });
      warm.importNdjson(
        Array.from({ length: WARMUP_RECORDS }, (_, n) => JSON.stringify(benchScan(n, WARMUP_EVENT))).join(
          "\n",
        ),
      );
      return warm;
    },
    csvPath() {
      if (csv) return csv;
      csv = join(dir, "scans.csv");
      writeFileSync(csv, `${items.map((i) => columnsOf(i).map(csvCell).join(",")).join("\n")}\n`);
      return csv;
    },
    sqliteRows() {
      return items.map((i) =>
        columnsOf(i).map((v, k) => {
          const col = SCAN_COLUMNS[k];
          if (v === undefined || v === null) return null;
          if (col === "scan_timestamp") return Date.parse(v as string);
          if (col === "is_valid") return v ? 1 : 0;
          if (col === "additional_metadata") return JSON.stringify(v);
          return v;
        }),
      );
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
