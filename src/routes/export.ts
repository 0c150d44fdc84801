// GET /export/scans, /export/transfers, /export/invalid-attempts: every record of an event
// (optionally within a window of its own time), oldest first, streamed as NDJSON or CSV for
// the revenue and warehouse jobs. Pages are read from the database only as the client takes
// the bytes (src/export/stream.ts), so memory stays flat however large the event.
import { Hono } from "hono";
import { EXPORT_NAMES, EXPORTS, type ExportName } from "../export/columns.js";
import { contentDisposition } from "../export/filename.js";
import { FORMATS } from "../export/formats.js";
import { exportQuery } from "../export/query.js";
import { type ExportEnd, openExport } from "../export/stream.js";
import { answerEndsWith } from "../http/answer-end.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { errorFields } from "../observability/logger.js";

/** Each export's operation id (its words in the document: ./export.docs.ts). */
export const EXPORT_OPERATIONS: Record<ExportName, string> = {
  scans: "exportScans",
  transfers: "exportTransfers",
  "invalid-attempts": "exportInvalidAttempts",
};

function exportOperation(deps: AppDeps, name: ExportName) {
  return operation(deps, {
    operationId: EXPORT_OPERATIONS[name],
    tag: "Export",
    access: ["reader"],
    database: true,
    query: exportQuery,
  });
}

export function exportRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  for (const name of EXPORT_NAMES) {
    app.get(`/export/${name}`, exportOperation(deps, name), async (c) => {
      const q = c.req.valid("query");
      const { kind, time, columns } = EXPORTS[name as ExportName];
      const format = FORMATS[q.format];
      const headers = {
        "Content-Type": format.contentType,
        "Content-Disposition": contentDisposition(name, q.event_id, q, format.extension),
        "Cache-Control": "no-store",
        // A browser saves the file as what it says it is, never sniffs a CSV into a page.
        "X-Content-Type-Options": "nosniff",
      };
      // HEAD (a download manager asking what it would get): the headers alone. Opened, the
      // export's body would be dropped unread and never end: its first pages read for
      // nothing and, on a Worker, its database connection held until the runtime gives up.
      if (c.req.method === "HEAD") return c.body(null, 200, headers);
      const log = c.get("log");
      const started = performance.now();
      const fields = { export: name, event_id: q.event_id, format: q.format };
      const onEnd = (end: ExportEnd) => {
        const done = { ...fields, rows: end.rows, duration_ms: Math.round(performance.now() - started) };
        if (end.outcome === "failed") {
          // The headers (200) are gone: the body errors, and the client sees a broken transfer.
          log.error("export failed after its answer began", { ...done, ...errorFields(end.error) });
        } else {
          log.info(end.outcome === "done" ? "export sent" : "export cancelled by the client", done);
        }
      };
      const { body, ended } = await openExport<Record<string, unknown>>({
        read: (after, limit) =>
          c.get("analytics").exportPage(kind, { event_id: q.event_id, from: q.from, to: q.to, after, limit }),
        cursorOf: (row) => ({ time: row[time] as Date, id: row.id as number }),
        encode: (rows, first) => format.encode(rows, columns, first),
        onEnd,
      });
      answerEndsWith(c, ended);
      return c.body(body, 200, headers);
    });
  }
  return app;
}
