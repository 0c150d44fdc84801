// The Worker's app: the same as on Node (src/app.ts), built once per isolate, with a store
// per request (opened before the routes, closed after the answer left) and the edge cache
// of GET /stats*. A Worker whose vars or secrets are invalid answers every request with
// the error envelope (503), never workerd's HTML error page.
import { Hono, type MiddlewareHandler } from "hono";
import { createAnalytics } from "../analytics.js";
import { createApp } from "../app.js";
import { alertThresholds } from "../config.js";
import { AppError } from "../errors.js";
import { answerEnded } from "../http/answer-end.js";
import { edgeCache } from "../http/edge-cache.js";
import type { AppEnv } from "../http/env.js";
import { errorResponse } from "../http/errors.js";
import { requestIds } from "../http/request-id.js";
import { errorFields } from "../observability/logger.js";
import { workerAuth } from "./auth.js";
import { type IsolateDeps, isolateDeps, openWorkerStore, workerLogger } from "./deps.js";
import type { WorkerEnv } from "./env.js";

type WorkerApp = Hono<AppEnv>;

const apps = new WeakMap<object, WorkerApp>();

/** The app of this isolate's env, built on its first request. */
export function appFor(env: WorkerEnv): WorkerApp {
  let app = apps.get(env);
  if (!app) {
    try {
      app = build(isolateDeps(env));
    } catch (err) {
      app = misconfigured(err);
    }
    apps.set(env, app);
  }
  return app;
}

function build(deps: IsolateDeps): WorkerApp {
  const { config, logger, metrics } = deps;
  const alerts = alertThresholds(config);
  const services: MiddlewareHandler<AppEnv> = async (c, next) => {
    const store = openWorkerStore(c.env as WorkerEnv, deps);
    c.set("analytics", createAnalytics(store, { alerts }));
    try {
      await next();
    } finally {
      // The pool's sockets must close, but the answer need not wait for it. A streamed answer
      // (GET /export/*) reads the store until its body ends: closed after that.
      c.executionCtx.waitUntil(answerEnded(c).then(() => store.close()));
    }
  };
  return createApp({
    services,
    auth: workerAuth(config),
    logger,
    metrics,
    corsOrigins: config.CORS_ORIGINS,
    readCache: edgeCache({ ttlSeconds: config.STATS_CACHE_SECONDS, cache: () => caches.default }),
  });
}

function misconfigured(err: unknown): WorkerApp {
  const app = new Hono<AppEnv>();
  app.use(requestIds());
  app.all("*", (c) => {
    workerLogger({ LOG_LEVEL: "error" }).error("worker misconfigured", {
      request_id: c.get("requestId"),
      ...errorFields(err),
    });
    return errorResponse(c, new AppError("unavailable", "the service is misconfigured; its logs say how"));
  });
  return app;
}
