// GET /stats/attendance, /stats/timeline, /stats/gates: how many people are in, how the
// doors filled, how each gate is moving (DESIGN.md, "Entry flow and attendance"). Each reads
// aggregates kept with the records, so its cost does not grow with the number of scans.
import { Hono } from "hono";
import { eventQuery, timelineQuery } from "../attendance/queries.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";

const read = { tag: "Stats", access: ["reader"], database: true, cached: true } as const;

export function attendanceRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      "/stats/attendance",
      operation(deps, {
        ...read,
        operationId: "getAttendance",
        query: eventQuery,
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        return c.json(await c.get("analytics").attendance(event_id), 200);
      },
    )
    .get(
      "/stats/timeline",
      operation(deps, {
        ...read,
        operationId: "getTimeline",
        query: timelineQuery,
      }),
      async (c) => c.json(await c.get("analytics").timeline(c.req.valid("query")), 200),
    )
    .get(
      "/stats/gates",
      operation(deps, {
        ...read,
        operationId: "getGates",
        query: eventQuery,
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        return c.json(await c.get("analytics").gates(event_id), 200);
      },
    );
}
