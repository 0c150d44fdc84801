// What the API document says of GET /export/* (./export.ts): joined to the routes by
// operationId (../http/operation-docs.ts), read by the document's generator only.
import { EXPORT_NAMES, EXPORTS, type ExportName } from "../export/columns.js";
import type { OperationDoc, OperationDocs } from "../http/operation.js";
import { NO_STORE } from "../responses.js";
import { EXPORT_OPERATIONS } from "./export.js";

/** The schema of each export's records, as the document names it. */
const RECORD: Record<ExportName, string> = {
  scans: "StoredScan",
  transfers: "StoredTransfer",
  "invalid-attempts": "StoredInvalidAttempt",
};

function exportDoc(name: ExportName): OperationDoc {
  const record = RECORD[name];
  const { time, columns } = EXPORTS[name];
  return {
    summary: `Every ${name.replace("-", " ")} record of an event, streamed`,
    description: `All of the event's records (\`from\` inclusive, \`to\` exclusive, by \`${time}\`), oldest first, ties by id, streamed as they are read: a keyset walk of the event's index, a page at a time, so the server's memory stays flat however large the event. If the database fails mid-way, the Node server breaks the transfer off (no clean end); workerd may end it cleanly (workerd#6818), so a job should compare its row count with GET /stats. On Workers, a very large event is best split by \`from\`/\`to\` (see the README).`,
    answers: {
      200: {
        description: `The records. NDJSON: one ${record} object per line (as the listings answer them), LF-terminated. CSV (RFC 4180, CRLF): a header row (${columns.join(", ")}), times in ISO 8601 UTC, booleans true/false, additional_metadata as its JSON text, null as an empty field and an empty text as "". A text starting with =, +, -, @, a tab or CR is written after a ' (spreadsheets would run it as a formula).`,
        content: [
          { type: "application/x-ndjson", schema: { type: "string", description: `Lines of ${record}` } },
          { type: "text/csv", schema: { type: "string" } },
        ],
        headers: {
          ...NO_STORE,
          "Content-Disposition": {
            description: "attachment, with a file name of the export, its event and window",
            schema: { type: "string" },
          },
        },
      },
    },
  };
}

export const exportDocs: OperationDocs = Object.fromEntries(
  EXPORT_NAMES.map((name) => [EXPORT_OPERATIONS[name], exportDoc(name)]),
);
