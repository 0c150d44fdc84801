// GET /stats/attendance, /stats/timeline, /stats/gates: how many people are in, how the
// doors filled, how each gate is moving (DESIGN.md, "Entry flow and attendance"). Each reads
// aggregates kept with the records, so its cost does not grow with the number of scans.
import { Hono } from "hono";
import type * as z from "zod";
import { MAX_POINTS } from "../attendance/buckets.js";
import { eventQuery, timelineQuery } from "../attendance/queries.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { type Answer, operation } from "../http/operation.js";
import { attendance, gatesAnswer, timelineAnswer } from "../responses.js";

const ok = (description: string, schema: z.ZodType): Record<number, Answer> => ({
  200: { description, content: { schema } },
});

const FIRST_ENTRY =
  "A ticket is admitted by its first entry: its earliest valid scan by the scan's own time (ties by uuid), whatever order scans arrive in; a scan older than the recorded first entry, uploaded later, becomes the first entry, with its minute, gate and scanner.";

const read = { tag: "Stats", access: ["reader"], database: true, cached: true } as const;

export function attendanceRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      "/stats/attendance",
      operation(deps, {
        ...read,
        operationId: "getAttendance",
        summary:
          "How many people are in: admitted tickets, repeat scans, first and last entry, the peak minute",
        description: `${FIRST_ENTRY} An event without records answers zeros and nulls.`,
        query: eventQuery,
        answers: ok("The event's admissions.", attendance),
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        return c.json(await c.var.analytics.attendance(event_id), 200);
      },
    )
    .get(
      "/stats/timeline",
      operation(deps, {
        ...read,
        operationId: "getTimeline",
        summary: "The arrival curve: first entries, scans and invalid attempts per bucket",
        description: `Every bucket of \`[from, to)\` is present, zeros included, oldest first. ${FIRST_ENTRY} At most ${MAX_POINTS} points: a wider range is a 400 that names a bucket that fits.`,
        query: timelineQuery,
        answers: ok("The points.", timelineAnswer),
      }),
      async (c) => c.json(await c.var.analytics.timeline(c.req.valid("query")), 200),
    )
    .get(
      "/stats/gates",
      operation(deps, {
        ...read,
        operationId: "getGates",
        summary: "Each gate's throughput, and each scanner's there with its sync health",
        description: `Gates by first entries, busiest first (the gate of scans without a location is null); inside each, its scanners the same way (a scanner seen at two gates is listed under each). ${FIRST_ENTRY}`,
        query: eventQuery,
        answers: ok("The event's gates.", gatesAnswer),
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        return c.json(await c.var.analytics.gates(event_id), 200);
      },
    );
}
