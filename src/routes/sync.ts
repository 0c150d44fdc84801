// POST /sync: batch uploads of gate scanners (scanner tokens, or ingest for back-fills),
// and GET /stats/devices: which gate is offline or behind.
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import * as z from "zod";
import type { AppDeps, AppEnv } from "../http/env.js";
import { validationHook } from "../http/errors.js";
import { jsonBody, limitBody, requireRole } from "../http/middleware.js";
import { idString, SYNC_LIMITS } from "../records.js";

const devicesQuery = z.object({ event_id: idString.optional() });

export function syncRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.post("/sync", requireRole(deps, "scanner", "ingest"), limitBody(SYNC_LIMITS.bodyBytes), async (c) => {
    const result = await c.var.analytics.syncBatch(c.var.principal, await jsonBody(c));
    if (result.rejected.length) {
      deps.metrics.recordsIngested("sync", "rejected", result.rejected.length);
      c.var.log.warn("sync items rejected", { rejected: result.rejected.length });
    }
    return c.json(result, 200);
  });

  app.get(
    "/stats/devices",
    requireRole(deps, "reader"),
    zValidator("query", devicesQuery, validationHook),
    async (c) => {
      const { event_id } = c.req.valid("query");
      const devices = await c.var.analytics.deviceHealth(event_id);
      return c.json({ event_id: event_id ?? null, devices, count: devices.length });
    },
  );

  return app;
}
