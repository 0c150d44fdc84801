// The one Hono app, built from its dependencies. It does not know which runtime hosts it:
// src/node/start.ts (Node) and src/worker/app.ts (Workers) build the dependencies and hand
// them in, once per process or isolate; what belongs to one request (on Workers, the
// store) reaches the routes through the context (AppDeps.services).
import { Hono, type MiddlewareHandler } from "hono";
import type { Analytics } from "./analytics.js";
import { AppError } from "./errors.js";
import { corsFor, crossSiteWrites, noCors } from "./http/cors.js";
import type { AppDeps, AppEnv } from "./http/env.js";
import { notFound, onError } from "./http/errors.js";
import { requestContext } from "./http/middleware.js";
import { operation } from "./http/operation.js";
import { requestIds } from "./http/request-id.js";
import { adminRoutes } from "./routes/admin.js";
import { admissionRoutes } from "./routes/admissions.js";
import { attendanceRoutes } from "./routes/attendance.js";
import { docsRoutes } from "./routes/docs.js";
import { exportRoutes } from "./routes/export.js";
import { healthRoutes } from "./routes/health.js";
import { ingestRoutes } from "./routes/ingest.js";
import { signalRoutes } from "./routes/signals.js";
import { statsRoutes } from "./routes/stats.js";
import { syncRoutes } from "./routes/sync.js";

export type { AppDeps } from "./http/env.js";

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  return (
    app
      .use(requestIds())
      .use(requestContext(deps))
      // Before the services: a preflight is answered without a token, a store or a route.
      .use(deps.corsOrigins?.length ? corsFor(deps.corsOrigins) : noCors)
      .use(crossSiteWrites(deps.corsOrigins ?? []))
      .use(deps.services)
      .route("/", healthRoutes(deps))
      .route("/", docsRoutes(deps))
      .route("/", syncRoutes(deps))
      .route("/", statsRoutes(deps))
      .route("/", attendanceRoutes(deps))
      .route("/", admissionRoutes(deps))
      .route("/", signalRoutes(deps))
      .route("/", exportRoutes(deps))
      .route("/", ingestRoutes(deps))
      .route("/", adminRoutes(deps))
      .get(
        "/openapi.json",
        operation(deps, {
          operationId: "getOpenApiDocument",
          tag: "Service",
          access: "public",
          database: false,
          assetOnWorkers: true,
        }),
        // Generated from these very routes (src/cli/openapi.ts); `npm test` fails if it is not.
        (c) => {
          if (!deps.apiDocument)
            throw new AppError("not_found", "the document is a static file on this runtime");
          return c.json(deps.apiDocument, 200, { "Cache-Control": "public, max-age=300" });
        },
      )
  );
}

/** The app's type, for Hono's typed client (`hc<AppType>`, src/client.ts). */
export type AppType = ReturnType<typeof createApp>;

/** AppDeps.services for a process with one service for every request (Node, tests). */
export function sharedServices(analytics: Analytics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("analytics", analytics);
    await next();
  };
}
