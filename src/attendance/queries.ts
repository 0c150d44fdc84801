// The queries of GET /stats/attendance, /stats/timeline and /stats/gates. The routes
// validate with them, and the OpenAPI document describes the routes from them.
import * as z from "zod";
import { fromNotAfterTo, idString, instant, textString } from "../records.js";
import { BUCKET_NAMES, type Bucket } from "./buckets.js";

export const eventQuery = z.strictObject({ event_id: idString });

/**
 * Strict, as the export's: a misspelt parameter (`locaton`) would otherwise answer the
 * whole event's flow as if it were one gate's.
 */
export const timelineQuery = z
  .strictObject({
    event_id: idString,
    bucket: z
      .enum(BUCKET_NAMES as [Bucket, ...Bucket[]])
      .default("5m")
      .meta({ description: "The width of each point, aligned to the Unix epoch (UTC)." }),
    from: instant.optional().meta({
      description:
        "Inclusive, floored to the bucket. Default: the start of the bucket of the event's earliest scan or invalid attempt.",
    }),
    to: instant.optional().meta({
      description:
        "Exclusive, ceiled to the bucket (a bucket ending after the year 9999 is a 400). Default: the end of the bucket of the event's latest scan or invalid attempt.",
    }),
    location: textString.optional().meta({
      description:
        "Only this gate's scans (empty: scans without a location). Invalid attempts have no gate: `invalid_attempts` is then null.",
    }),
    scanner_id: idString.optional().meta({
      description: "Only this scanner's scans; `invalid_attempts` is then null.",
    }),
  })
  .refine(...fromNotAfterTo);
export type TimelineQuery = z.output<typeof timelineQuery>;
