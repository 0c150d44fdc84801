// The answers the dashboard reads, as the API's own zod schemas give them (types only:
// nothing of zod or the server reaches the page's bundle).
import type { z } from "zod";
import type { Bucket } from "../attendance/buckets.js";
import type {
  alertsAnswer,
  allEventStats,
  attendance,
  eventStats,
  gatesAnswer,
  invalidAttemptListing,
  timelineAnswer,
} from "../responses.js";
import type { invalidAttempts } from "../store/pg/schema.js";

/** A stored row as JSON carries it: times as ISO strings. */
type Wire<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

export type EventStats = z.infer<typeof eventStats>;
export type AllEventStats = z.infer<typeof allEventStats>;
export type Attendance = z.infer<typeof attendance>;
export type Timeline = z.infer<typeof timelineAnswer>;
export type Gates = z.infer<typeof gatesAnswer>;
export type Gate = Gates["gates"][number];
export type GateScanner = Gate["scanners"][number];
export type Alerts = z.infer<typeof alertsAnswer>;
export type Alert = Alerts["alerts"][number];
// The listings' schemas are built from the tables at run time (responses.ts, rowOf), so
// their static type is loose: the row's type comes from the Drizzle table instead.
export type InvalidAttempt = Wire<typeof invalidAttempts.$inferSelect>;
export type InvalidAttempts = Omit<z.infer<typeof invalidAttemptListing>, "attempts"> & {
  attempts: InvalidAttempt[];
};

/** The arrival curve's bucket sizes the page offers (the API has 1h and 1d as well). */
export const CURVE_BUCKETS = ["1m", "5m", "15m"] as const satisfies readonly Bucket[];
export type CurveBucket = (typeof CURVE_BUCKETS)[number];
