// POST /sync: batch uploads of gate scanners (scanner tokens, or ingest for back-fills),
// and GET /stats/devices: which gate is offline or behind.
import { Hono } from "hono";
import * as z from "zod";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { idString, SYNC_LIMITS, syncRequest, syncRequestDoc, syncResponse } from "../records.js";
import { deviceListing } from "../responses.js";

const devicesQuery = z.object({ event_id: idString.optional() });

export function syncRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post(
      "/sync",
      operation(deps, {
        operationId: "syncBatch",
        summary: "Upload a gate scanner's batch",
        description: `Up to ${SYNC_LIMITS.items} scans and invalid attempts together, each with its uuid, so a batch sent again (a retry after a lost answer) stores and counts nothing twice. Items are checked one by one: a valid item is stored whatever its neighbours are, an invalid one comes back in \`rejected\` with its issues (never as a 400 for the whole batch). The scanner's health (\`device\`) is recorded with every batch. A scanner token may only send its own \`scanner_id\`.`,
        tag: "Sync",
        access: ["scanner", "ingest"],
        database: true,
        body: {
          schema: syncRequest,
          limit: SYNC_LIMITS.bodyBytes,
          documented: syncRequestDoc,
          description: "The batch. `sent_at`: the device's clock when it sent it (it reveals a wrong clock).",
        },
        answers: {
          200: {
            description: "Every item accepted (stored now), a duplicate (stored before), or rejected.",
            content: { schema: syncResponse },
          },
        },
      }),
      async (c) => {
        const result = await c.var.analytics.syncBatch(c.var.principal, c.req.valid("json"));
        if (result.rejected.length) {
          deps.metrics.recordsIngested("sync", "rejected", result.rejected.length);
          c.var.log.warn("sync items rejected", { rejected: result.rejected.length });
        }
        return c.json(result, 200);
      },
    )
    .get(
      "/stats/devices",
      operation(deps, {
        operationId: "listDevices",
        summary: "Gate scanners' health",
        description:
          "Every scanner, or those that uploaded records of `event_id` (an event-scoped reader token without `event_id`: of its events); most recently synced first. A scanner long silent, or with a growing `pending`, is offline or behind.",
        tag: "Sync",
        access: ["reader"],
        database: true,
        cached: true,
        spansEvents: true,
        query: devicesQuery,
        answers: { 200: { description: "The scanners.", content: { schema: deviceListing } } },
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        const devices = await c.var.analytics.deviceHealth(event_id ?? c.var.principal.events);
        return c.json({ event_id: event_id ?? null, devices, count: devices.length }, 200);
      },
    );
}
