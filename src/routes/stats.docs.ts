// What the API document says of GET /stats and the listings of recent records (./stats.ts):
// joined to the routes by operationId (../http/operation-docs.ts), read by the document's
// generator only.
import * as z from "zod";
import { type OperationDoc, type OperationDocs, ok } from "../http/operation.js";
import {
  allEventStats,
  eventStats,
  invalidAttemptListing,
  scanListing,
  transferListing,
} from "../responses.js";

function listingDoc(what: string, schema: z.ZodType): OperationDoc {
  return {
    summary: `An event's recent ${what}`,
    description: `Newest first by their own time, ties by id. \`from\` (inclusive) and \`to\` (exclusive) bound that time; \`before_id\` pages further back: pass the last id of a page.`,
    answers: ok(`The ${what}, at most \`limit\`.`, schema),
  };
}

export const statsDocs: OperationDocs = {
  getStats: {
    summary: "Exact counters of one event, or of every event",
    description:
      "With `event_id`: that event's counters (zero, and `last_updated: null`, for an event without records). Without: every event's with records, keyed by event id (read it by key: the order of an object's keys is not part of the answer); for an event-scoped reader token, each of its events and no other, those without records yet with zero counts. Counters are kept as records are stored; reading them costs the same whatever the number of records.",
    answers: ok("One event's counters, or every event's by id.", z.union([eventStats, allEventStats])),
  },
  listScans: listingDoc("scans", scanListing),
  listTransfers: listingDoc("transfers", transferListing),
  listInvalidAttempts: listingDoc("invalid attempts", invalidAttemptListing),
};
