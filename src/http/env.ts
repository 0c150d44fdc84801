// The Hono environment every route sees: what the app was built from, and per request
// the request id, the caller, a logger carrying the request id, and the service.
import type { MiddlewareHandler } from "hono";
import type { Analytics } from "../analytics.js";
import type { Principal } from "../auth/roles.js";
import type { AuthSettings } from "../auth/tokens.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";

export interface AppDeps {
  /**
   * Puts the request's service in place (c.get("analytics")): on Node the one store of the
   * process, on Workers a store of the request's own, closed after it (src/worker/app.ts).
   */
  services: MiddlewareHandler<AppEnv>;
  auth: AuthSettings;
  logger: Logger;
  metrics: Metrics;
  /**
   * Serves GET /stats* from a cache (Workers: src/http/edge-cache.ts). Runs after auth,
   * so a cached answer never reaches a caller who may not read it.
   */
  readCache?: MiddlewareHandler<AppEnv>;
  /**
   * The OpenAPI document GET /openapi.json answers (src/openapi.json, on Node). The Worker
   * serves that file as a static asset instead, so its bundle does not carry it.
   */
  apiDocument?: Readonly<Record<string, unknown>>;
  /** Origins whose pages may call the API from a browser (CORS_ORIGINS); none when empty. */
  corsOrigins?: readonly string[];
  /** True once the Node server is draining (SIGTERM): GET /health answers 503. */
  draining?: () => boolean;
}

/** Read with c.get: Hono's c.var copies every variable into a new object on each access. */
export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
    log: Logger;
    analytics: Analytics;
  };
}
