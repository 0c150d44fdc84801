// GET /stats (one event or all) and the three listings of recent records.
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/env.js";
import { validationHook } from "../http/errors.js";
import { requireRole } from "../http/middleware.js";
import { listQuery, statsQuery } from "../records.js";

export function statsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use("/stats/*", requireRole(deps, "reader"));
  // "/stats/*" matches "/stats" too; registered after the role check on purpose.
  if (deps.readCache) app.use("/stats/*", deps.readCache);

  app.get("/stats", zValidator("query", statsQuery, validationHook), async (c) => {
    const { event_id } = c.req.valid("query");
    if (event_id !== undefined) return c.json(await c.var.analytics.getEventStats(event_id));
    const all = await c.var.analytics.getAllStats();
    return c.json(Object.fromEntries(all.map((s) => [s.event_id, s])));
  });

  app.get("/stats/scans", zValidator("query", listQuery, validationHook), async (c) => {
    const q = c.req.valid("query");
    const scans = await c.var.analytics.recentScans(q);
    return c.json({ event_id: q.event_id, scans, count: scans.length });
  });

  app.get("/stats/transfers", zValidator("query", listQuery, validationHook), async (c) => {
    const q = c.req.valid("query");
    const transfers = await c.var.analytics.recentTransfers(q);
    return c.json({ event_id: q.event_id, transfers, count: transfers.length });
  });

  app.get("/stats/invalid-attempts", zValidator("query", listQuery, validationHook), async (c) => {
    const q = c.req.valid("query");
    const attempts = await c.var.analytics.recentInvalidAttempts(q);
    return c.json({ event_id: q.event_id, attempts, count: attempts.length });
  });

  return app;
}
