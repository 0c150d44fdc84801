// The fraud and revenue signals (DESIGN.md, "Signals"): GET /stats/alerts for the fraud
// team, GET /stats/transfers/summary for the revenue team. Both read aggregates kept with
// the records, so their cost follows the alerts, days and reasons, not the records, and
// retention does not shrink them.
import { Hono } from "hono";
import { eventQuery } from "../attendance/queries.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { alertsQuery } from "../signals/alerts.js";

export function signalRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      "/stats/alerts",
      operation(deps, {
        tag: "Stats",
        access: ["reader"],
        database: true,
        cached: true,
        operationId: "getAlerts",
        query: alertsQuery,
      }),
      async (c) => c.json(await c.get("analytics").alerts(c.req.valid("query")), 200),
    )
    .get(
      "/stats/transfers/summary",
      operation(deps, {
        tag: "Stats",
        access: ["reader"],
        database: true,
        cached: true,
        operationId: "getTransferSummary",
        query: eventQuery,
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        return c.json(await c.get("analytics").transferSummary(event_id), 200);
      },
    );
}
