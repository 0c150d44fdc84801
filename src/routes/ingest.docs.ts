// What the API document says of POST /scans, /transfers and /invalid-attempts (./ingest.ts):
// joined to the routes by operationId (../http/operation-docs.ts), read by the document's
// generator only.
import type { OperationDoc, OperationDocs } from "../http/operation.js";
import { recordDuplicate, recordStored } from "../responses.js";

function recordDoc(what: string, description: string): OperationDoc {
  return {
    summary: `Record ${what}`,
    description: `${description} Send a \`uuid\` to make retries safe: the same uuid again is stored and counted once.`,
    answers: {
      201: { description: "Stored and counted.", content: { schema: recordStored } },
      200: {
        description: "A record with this uuid was stored before: nothing stored or counted again.",
        content: { schema: recordDuplicate },
      },
    },
  };
}

export const ingestDocs: OperationDocs = {
  logTicketScan: recordDoc("a ticket scan", "A ticket scanned at a gate, valid or not."),
  logTicketTransfer: recordDoc(
    "a ticket transfer",
    "A ticket passed from one user to another, successful or not.",
  ),
  logInvalidAttempt: recordDoc(
    "an invalid attempt",
    "An attempt refused before it became a scan or transfer (a forged or expired ticket, a wrong event).",
  ),
};
