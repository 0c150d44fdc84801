// What each export holds: the kind of record, its own time, and its columns in order. The
// columns are the table's (every stored column), read off the Drizzle table, so a column
// added to the schemas reaches the export with nothing to edit here; the NDJSON objects are
// the rows as the listings answer them (src/responses.ts describes them), the CSV header
// row is these names in this order.
import { getTableColumns } from "drizzle-orm";
import type { RecordKind } from "../store/counters.js";
import { invalidAttempts, ticketScans, ticketTransfers } from "../store/pg/schema.js";

export interface ExportKind {
  /** The store's name of the kind. */
  kind: RecordKind;
  /** The column that is the record's own time: from/to and the order are by it. */
  time: string;
  /** Every stored column, in the table's order: the CSV header row and the NDJSON keys. */
  columns: readonly string[];
}

const exportOf = (
  kind: RecordKind,
  table: typeof ticketScans | typeof ticketTransfers | typeof invalidAttempts,
  time: string,
): ExportKind => ({ kind, time, columns: Object.keys(getTableColumns(table)) });

/** The three exports, by the last segment of their path (GET /export/<name>). */
export const EXPORTS = {
  scans: exportOf("scans", ticketScans, "scan_timestamp"),
  transfers: exportOf("transfers", ticketTransfers, "transfer_timestamp"),
  "invalid-attempts": exportOf("invalidAttempts", invalidAttempts, "attempt_timestamp"),
} as const satisfies Record<string, ExportKind>;

export type ExportName = keyof typeof EXPORTS;
export const EXPORT_NAMES = Object.keys(EXPORTS) as ExportName[];
