// GET /stats (one event or all) and the three listings of recent records.
import { Hono } from "hono";
import * as z from "zod";
import type { AppDeps, AppEnv } from "../http/env.js";
import { type Answer, operation } from "../http/operation.js";
import { listQuery, statsQuery } from "../records.js";
import {
  allEventStats,
  eventStats,
  invalidAttemptListing,
  scanListing,
  transferListing,
} from "../responses.js";

const ok = (description: string, schema: z.ZodType): Record<number, Answer> => ({
  200: { description, content: { schema } },
});

/** A listing's operation: an event's records of one kind, newest first. */
function listingOperation(deps: AppDeps, operationId: string, what: string, schema: z.ZodType) {
  return operation(deps, {
    operationId,
    summary: `An event's recent ${what}`,
    description: `Newest first by their own time, ties by id. \`from\` (inclusive) and \`to\` (exclusive) bound that time; \`before_id\` pages further back: pass the last id of a page.`,
    tag: "Stats",
    access: ["reader"],
    database: true,
    cached: true,
    query: listQuery,
    answers: ok(`The ${what}, at most \`limit\`.`, schema),
  });
}

export function statsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      "/stats",
      operation(deps, {
        operationId: "getStats",
        summary: "Exact counters of one event, or of every event",
        description:
          "With `event_id`: that event's counters (zero, and `last_updated: null`, for an event without records). Without: every event's with records, keyed by event id (an event-scoped reader token: its events only). Counters are kept as records are stored; reading them costs the same whatever the number of records.",
        tag: "Stats",
        access: ["reader"],
        database: true,
        cached: true,
        spansEvents: true,
        query: statsQuery,
        answers: ok("One event's counters, or every event's by id.", z.union([eventStats, allEventStats])),
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        if (event_id !== undefined) return c.json(await c.var.analytics.getEventStats(event_id), 200);
        const all = await c.var.analytics.getAllStats(c.var.principal.events);
        return c.json(Object.fromEntries(all.map((s) => [s.event_id, s])), 200);
      },
    )
    .get("/stats/scans", listingOperation(deps, "listScans", "scans", scanListing), async (c) => {
      const q = c.req.valid("query");
      const scans = await c.var.analytics.recentScans(q);
      return c.json({ event_id: q.event_id, scans, count: scans.length }, 200);
    })
    .get(
      "/stats/transfers",
      listingOperation(deps, "listTransfers", "transfers", transferListing),
      async (c) => {
        const q = c.req.valid("query");
        const transfers = await c.var.analytics.recentTransfers(q);
        return c.json({ event_id: q.event_id, transfers, count: transfers.length }, 200);
      },
    )
    .get(
      "/stats/invalid-attempts",
      listingOperation(deps, "listInvalidAttempts", "invalid attempts", invalidAttemptListing),
      async (c) => {
        const q = c.req.valid("query");
        const attempts = await c.var.analytics.recentInvalidAttempts(q);
        return c.json({ event_id: q.event_id, attempts, count: attempts.length }, 200);
      },
    );
}
