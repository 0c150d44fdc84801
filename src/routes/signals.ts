// The fraud and revenue signals (DESIGN.md, "Signals"): GET /stats/transfers/summary for
// the revenue team. It reads aggregates kept with the records, so its cost follows the
// event's days and reasons, and retention does not shrink it.
import { Hono } from "hono";
import { eventQuery } from "../attendance/queries.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { transferSummary } from "../responses.js";

export function signalRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get(
    "/stats/transfers/summary",
    operation(deps, {
      tag: "Stats",
      access: ["reader"],
      database: true,
      cached: true,
      operationId: "getTransferSummary",
      summary: "An event's transfers for revenue: totals, tickets transferred, per reason and per UTC day",
      description:
        "Every transfer ever logged for the event counts, also after retention has deleted the records. An event without transfers answers zeros and empty lists.",
      query: eventQuery,
      answers: { 200: { description: "The event's transfers.", content: { schema: transferSummary } } },
    }),
    async (c) => {
      const { event_id } = c.req.valid("query");
      return c.json(await c.var.analytics.transferSummary(event_id), 200);
    },
  );
}
