// POST /sync: batch uploads of gate scanners (scanner tokens, or ingest for back-fills),
// and GET /stats/devices: which gate is offline or behind.
import { Hono } from "hono";
import * as z from "zod";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { idString, SYNC_LIMITS, syncRequest, syncRequestDoc } from "../records.js";

// Strict, as every query: a misspelt `event_id` would list every device as if the event's.
const devicesQuery = z.strictObject({ event_id: idString.optional() });

export function syncRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post(
      "/sync",
      operation(deps, {
        operationId: "syncBatch",
        tag: "Sync",
        access: ["scanner", "ingest"],
        database: true,
        body: {
          schema: syncRequest,
          limit: SYNC_LIMITS.bodyBytes,
          documented: syncRequestDoc,
          description: "The batch. `sent_at`: the device's clock when it sent it (it reveals a wrong clock).",
        },
      }),
      async (c) => {
        const result = await c.get("analytics").syncBatch(c.get("principal"), c.req.valid("json"));
        if (result.rejected.length) {
          // Under the kinds the store counts stored and duplicate records by, so the three
          // outcomes of a kind add up to what was sent.
          const scans = result.rejected.filter((r) => r.kind === "scan").length;
          const attempts = result.rejected.length - scans;
          if (scans) deps.metrics.recordsIngested("scans", "rejected", scans);
          if (attempts) deps.metrics.recordsIngested("invalid_attempts", "rejected", attempts);
          c.get("log").warn("sync items rejected", { rejected: result.rejected.length });
        }
        return c.json(result, 200);
      },
    )
    .get(
      "/stats/devices",
      operation(deps, {
        operationId: "listDevices",
        tag: "Sync",
        access: ["reader"],
        database: true,
        cached: true,
        spansEvents: true,
        query: devicesQuery,
      }),
      async (c) => {
        const { event_id } = c.req.valid("query");
        const devices = await c.get("analytics").deviceHealth(event_id ?? c.get("principal").events);
        return c.json({ event_id: event_id ?? null, devices, count: devices.length }, 200);
      },
    );
}
