// The one Hono app, built from its dependencies. It does not know which runtime hosts it:
// src/server.ts (Node) and src/worker.ts (Workers) build the dependencies and hand them in.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
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
  app.onError(onError);
  app.notFound(notFound);
  app.route("/", healthRoutes(deps));
  app.route("/", syncRoutes(deps));
  app.route("/", statsRoutes(deps));
  app.route("/", ingestRoutes(deps));
  return app;
}
