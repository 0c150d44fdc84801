// The query of GET /export/scans|transfers|invalid-attempts: which event, which window of
// its records' own time, which format. The route validates with it, and the OpenAPI
// document describes the route from it.
import * as z from "zod";
import { fromNotAfterTo, idString, instant } from "../records.js";

export const EXPORT_FORMATS = ["ndjson", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Strict: a parameter the export does not take (a `limit`, a misspelt `form`) is a 400.
 * Ignored, it would hand a job every record of the event when it asked for a few.
 */
export const exportQuery = z
  .strictObject({
    event_id: idString,
    /** Inclusive, by the record's own time (scan_timestamp, transfer_timestamp, attempt_timestamp). */
    from: instant.optional(),
    /** Exclusive, by the record's own time. */
    to: instant.optional(),
    format: z.enum(EXPORT_FORMATS).default("ndjson"),
  })
  .refine(...fromNotAfterTo);
