// GET /stats (one event or all) and the three listings of recent records.
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { listQuery, statsQuery } from "../records.js";

/** A listing's operation: an event's records of one kind, newest first. */
function listingOperation(deps: AppDeps, operationId: string) {
  return operation(deps, {
    operationId,
    tag: "Stats",
    access: ["reader"],
    database: true,
    cached: true,
    query: listQuery,
  });
}

export function statsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      "/stats",
      operation(deps, {
        operationId: "getStats",
        tag: "Stats",
        access: ["reader"],
        database: true,
        cached: true,
        spansEvents: true,
        query: statsQuery,
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        if (event_id !== undefined) return c.json(await c.get("analytics").getEventStats(event_id), 200);
        const all = await c.get("analytics").getAllStats(c.get("principal").events);
        return c.json(Object.fromEntries(all.map((s) => [s.event_id, s])), 200);
      },
    )
    .get("/stats/scans", listingOperation(deps, "listScans"), async (c) => {
      const q = c.req.valid("query");
      const scans = await c.get("analytics").recentScans(q);
      return c.json({ event_id: q.event_id, scans, count: scans.length }, 200);
    })
    .get("/stats/transfers", listingOperation(deps, "listTransfers"), async (c) => {
      const q = c.req.valid("query");
      const transfers = await c.get("analytics").recentTransfers(q);
      return c.json({ event_id: q.event_id, transfers, count: transfers.length }, 200);
    })
    .get("/stats/invalid-attempts", listingOperation(deps, "listInvalidAttempts"), async (c) => {
      const q = c.req.valid("query");
      const attempts = await c.get("analytics").recentInvalidAttempts(q);
      return c.json({ event_id: q.event_id, attempts, count: attempts.length }, 200);
    });
}
