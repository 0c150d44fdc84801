// The one Hono app, built from its dependencies. It does not know which runtime hosts it:
// src/node/start.ts (Node) and src/worker/app.ts (Workers) build the dependencies and hand
// them in, once per process or isolate; what belongs to one request (on Workers, the
// store) reaches the routes through the context (AppDeps.services).
import { Hono, type MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import type { Analytics } from "./analytics.js";
import type { AppDeps, AppEnv } from "./http/env.js";
import { notFound, onError } from "./http/errors.js";
import { requestContext } from "./http/middleware.js";
import { healthRoutes } from "./routes/health.js";
import { ingestRoutes } from "./routes/ingest.js";
import { statsRoutes } from "./routes/stats.js";
import { syncRoutes } from "./routes/sync.js";

export type { AppDeps } from "./http/env.js";

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use(requestId({ limitLength: 128 }));
  app.use(requestContext(deps));
  app.use(deps.services);
  app.onError(onError);
  app.notFound(notFound);
  app.route("/", healthRoutes(deps));
  app.route("/", syncRoutes(deps));
  app.route("/", statsRoutes(deps));
  app.route("/", ingestRoutes(deps));
  return app;
}

/** AppDeps.services for a process with one service for every request (Node, tests). */
export function sharedServices(analytics: Analytics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("analytics", analytics);
    await next();
  };
}
