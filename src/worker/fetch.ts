// The Worker's fetch handler: the same app as on Node (src/app.ts), built per request
// from that request's store, plus the edge cache of GET /stats*.
import { createAnalytics } from "../analytics.js";
import { createApp } from "../app.js";
import { edgeCache } from "../http/edge-cache.js";
import { errorFields } from "../observability/logger.js";
import { workerAuth } from "./auth.js";
import { type WorkerDeps, workerDeps, workerLogger } from "./deps.js";
import type { WorkerEnv } from "./env.js";

export async function handleFetch(
  request: Request,
  env: WorkerEnv,
  ctx: ExecutionContext,
): Promise<Response> {
  let deps: WorkerDeps;
  try {
    deps = workerDeps(env);
  } catch (err) {
    return misconfigured(request, err);
  }
  const { config, logger, metrics, store } = deps;
  const app = createApp({
    analytics: createAnalytics(store),
    auth: workerAuth(config, request.url),
    logger,
    metrics,
    readCache: edgeCache({
      ttlSeconds: config.STATS_CACHE_SECONDS,
      cache: () => caches.default,
      waitUntil: (work) => ctx.waitUntil(work),
    }),
  });
  try {
    return await app.fetch(request, env, ctx);
  } finally {
    // The pool's sockets must close, but the answer need not wait for it.
    ctx.waitUntil(store.close());
  }
}

/** Bad vars or no database: the envelope, never workerd's HTML error page. */
function misconfigured(request: Request, err: unknown): Response {
  const requestId = request.headers.get("X-Request-Id") ?? crypto.randomUUID();
  workerLogger({ LOG_LEVEL: "error" }).error("worker misconfigured", {
    request_id: requestId,
    ...errorFields(err),
  });
  const body = {
    error: "unavailable",
    message: "the service is misconfigured; its logs say how",
    request_id: requestId,
  };
  return Response.json(body, { status: 503, headers: { "X-Request-Id": requestId } });
}
