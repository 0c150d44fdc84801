// The two formats of an export: how a page of rows becomes text, and how the answer says
// what it is.
import { csvRows } from "./csv.js";
import type { ExportFormat } from "./query.js";

export interface Format {
  contentType: string;
  extension: string;
  /** A page of rows as text; `first`: the export's first page (where CSV writes its header row). */
  encode(rows: readonly object[], columns: readonly string[], first: boolean): string;
}

/** One JSON object per line, each as the listings write it (Dates as ISO strings), LF-terminated. */
function ndjsonLines(rows: readonly object[]): string {
  let text = "";
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return text;
}

export const FORMATS: Record<ExportFormat, Format> = {
  ndjson: { contentType: "application/x-ndjson; charset=utf-8", extension: "ndjson", encode: ndjsonLines },
  csv: {
    contentType: "text/csv; charset=utf-8; header=present",
    extension: "csv",
    encode: (rows, columns, first) => csvRows(rows, columns, first),
  },
};
