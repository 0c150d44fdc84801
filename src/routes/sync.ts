// POST /sync: batch uploads of gate scanners (scanner tokens, or ingest for back-fills),
// and GET /stats/devices: which gate is offline or behind.
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import * as z from "zod";
import type { AppDeps, AppEnv } from "../http/env.js";
import { validationHook } from "../http/errors.js";
import { jsonBody, limitBody, requireRole } from "../http/middleware.js";
import { idString, SYNC_LIMITS } from "../records.js";
import type { DeviceHealth } from "../store/types.js";
import { syncBatch } from "../sync.js";

const devicesQuery = z.object({ event_id: idString.optional() });

function deviceView(d: DeviceHealth, now: number) {
  const { last_items, last_accepted, last_duplicates, last_rejected, ...rest } = d;
  return {
    ...rest,
    seconds_since_sync: Math.max(0, Math.round((now - d.last_sync_at.getTime()) / 1000)),
    last_batch: {
      items: last_items,
      accepted: last_accepted,
      duplicates: last_duplicates,
      rejected: last_rejected,
    },
  };
}

export function syncRoutes(deps: AppDeps) {
  const { store } = deps.analytics;
  const app = new Hono<AppEnv>();

  app.post("/sync", requireRole(deps, "scanner", "ingest"), limitBody(SYNC_LIMITS.bodyBytes), async (c) => {
    const result = await syncBatch(store, c.get("principal"), await jsonBody(c));
    if (result.rejected.length) deps.metrics.recordsIngested("sync", "rejected", result.rejected.length);
    if (result.rejected.length)
      c.get("log").warn("sync items rejected", { rejected: result.rejected.length });
    return c.json(result, 200);
  });

  app.get(
    "/stats/devices",
    requireRole(deps, "reader"),
    zValidator("query", devicesQuery, validationHook),
    async (c) => {
      const { event_id } = c.req.valid("query");
      const now = Date.now();
      const devices = (await store.deviceHealth(event_id)).map((d) => deviceView(d, now));
      return c.json({ event_id: event_id ?? null, devices, count: devices.length });
    },
  );

  return app;
}
