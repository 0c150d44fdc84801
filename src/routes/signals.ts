// The fraud and revenue signals (DESIGN.md, "Signals"): GET /stats/alerts for the fraud
// team, GET /stats/transfers/summary for the revenue team. Both read aggregates kept with
// the records, so their cost follows the alerts, days and reasons, not the records, and
// retention does not shrink them.
import { Hono } from "hono";
import { eventQuery } from "../attendance/queries.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { alertsAnswer, transferSummary } from "../responses.js";
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
        summary: "An event's alerts: double entries, transfer chains, invalid bursts, newest first",
        description:
          "Double entries (a ticket with two or more valid scans, flagged offline and passback), transfer chains and bursts of invalid records, a page at a time: pass `next` as `before` for the next page. Thresholds come from ALERT_OFFLINE_LAG_SECONDS, ALERT_PASSBACK_SECONDS, ALERT_TRANSFER_CHAIN and ALERT_BURST_COUNT. An event without alerts answers zeros and an empty list.",
        query: alertsQuery,
        answers: { 200: { description: "A page of the event's alerts.", content: { schema: alertsAnswer } } },
      }),
      async (c) => c.json(await c.var.analytics.alerts(c.req.valid("query")), 200),
    )
    .get(
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
