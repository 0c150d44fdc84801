// CSV as spreadsheets and COPY read it: RFC 4180 (CRLF line ends; a field holding a quote,
// a comma, CR or LF quoted, its quotes doubled), a header row of the column names, times in
// ISO 8601 UTC, booleans `true`/`false`, additional_metadata as its JSON text. Null is an
// empty field and an empty string is `""`, the convention of PostgreSQL's COPY ... CSV, so
// the two stay apart. csv-stringify's sync API takes a page at a time, all the export asks
// of it; its browser build, because the plain one (csv-stringify/sync) reads the global
// Buffer when it loads, which workerd lacks (the Worker failed to start: "Buffer is not
// defined"). The browser build carries a Buffer of its own: +6.5 KB gzipped in the Worker.
import { type Options, stringify } from "csv-stringify/browser/esm/sync";

const OPTIONS: Options = {
  record_delimiter: "\r\n",
  // Given a record_delimiter, csv-stringify stops quoting a bare LF or CR unless told to.
  quote_record_delimiter: true,
  // Only "" itself: `quoted_empty` would quote nulls too, and they must stay empty.
  quoted_match: /^$/,
  // A text that starts with = + - @, a tab or CR gets a leading ' (OWASP's defence against
  // CSV injection): spreadsheets would run it as a formula, and these texts come from
  // anyone (a user agent, a ticket id typed at a gate). The NDJSON export keeps every
  // value as stored.
  escape_formulas: true,
  cast: {
    boolean: (b) => (b ? "true" : "false"),
    date: (d) => d.toISOString(),
    object: (o) => JSON.stringify(o),
  },
};

/** Rows as CSV records, each line ended by CRLF; `header`: the column names first. */
export function csvRows(rows: readonly object[], columns: readonly string[], header: boolean): string {
  return stringify(rows as object[], { ...OPTIONS, header, columns: [...columns] });
}
