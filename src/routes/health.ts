// GET /health (open: load balancers and uptime checks carry no token) and GET /metrics.
import { Hono } from "hono";
import { AppError } from "../errors.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { errorResponse } from "../http/errors.js";
import { requireRole } from "../http/middleware.js";

const PING_TIMEOUT_MS = 2000;

export function healthRoutes(deps: AppDeps) {
  const { store } = deps.analytics;
  const app = new Hono<AppEnv>();

  app.get("/health", async (c) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([store.ping(), timeout]);
      return c.json({ status: "ok", database: store.dialect });
    } catch (err) {
      c.get("log").warn("health check failed", { error: String(err) });
      const res = errorResponse(
        c,
        new AppError("unavailable", `the ${store.dialect} database does not answer`),
      );
      const envelope = (await res.json()) as Record<string, unknown>;
      return c.json({ ...envelope, status: "unavailable", database: store.dialect }, 503);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  });

  app.get("/metrics", requireRole(deps, "reader"), async (c) => {
    if (!deps.metrics.render) throw new AppError("not_found", "metrics are not served by this runtime");
    const { contentType, body } = await deps.metrics.render();
    return c.body(body, 200, { "Content-Type": contentType });
  });

  return app;
}
