// GET /health (open: load balancers and uptime checks carry no token) and GET /metrics.
import { Hono } from "hono";
import { AppError } from "../errors.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { asAppError, errorResponse } from "../http/errors.js";
import { operation } from "../http/operation.js";
import { errorFields } from "../observability/logger.js";

const PING_TIMEOUT_MS = 2000;

export function healthRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get(
      "/health",
      operation(deps, {
        operationId: "getHealth",
        tag: "Service",
        access: "public",
        database: true,
      }),
      async (c) => {
        const analytics = c.get("analytics");
        const database = analytics.database;
        const unhealthy = (err: AppError) =>
          errorResponse(
            c,
            new AppError(err.code, err.message, undefined, { status: "unavailable", database }),
          );
        // Draining after SIGTERM: load balancers should send new requests elsewhere.
        if (deps.draining?.()) return unhealthy(new AppError("unavailable", "the server is shutting down"));
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("timed out")), PING_TIMEOUT_MS);
        });
        try {
          await Promise.race([analytics.ping(), timeout]);
          return c.json({ status: "ok" as const, database }, 200);
        } catch (err) {
          c.get("log").warn("health check failed", errorFields(err));
          // A database without the schema says so, and what to run; anything else is "down".
          const known = asAppError(err);
          return unhealthy(
            known?.code === "database_not_migrated"
              ? known
              : new AppError("unavailable", `the ${database} database does not answer`),
          );
        } finally {
          if (timer !== undefined) clearTimeout(timer);
        }
      },
    )
    .get(
      "/metrics",
      operation(deps, {
        operationId: "getMetrics",
        tag: "Service",
        access: ["reader"],
        database: false,
      }),
      async (c) => {
        if (!deps.metrics.render) throw new AppError("not_found", "metrics are not served by this runtime");
        const { contentType, body } = await deps.metrics.render();
        return c.body(body, 200, { "Content-Type": contentType });
      },
    );
}
