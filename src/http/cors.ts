// Browser callers on other origins (CORS_ORIGINS): a dashboard or an operator's tool
// calling the API with a bearer token. Only listed origins get CORS headers; a preflight
// from any other origin is refused with the envelope, and no CORS header at all, so the
// browser blocks the call and a developer reading the network tab sees why. Tokens are
// bearer headers, never cookies: there are no ambient credentials for a page to abuse,
// which is why "*" (any origin) may be configured at all.
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { AppError } from "../errors.js";
import type { AppEnv } from "./env.js";

/** Answers a browser script may read besides the CORS-safelisted ones. */
const EXPOSED = ["Content-Disposition", "ETag", "Retry-After", "WWW-Authenticate", "X-Cache", "X-Request-Id"];

/** Whether an Origin is one of CORS_ORIGINS (or they allow any, "*"). */
function listedIn(origins: readonly string[]): (origin: string | undefined) => boolean {
  const any = origins.includes("*");
  return (origin) => origin !== undefined && (any || origins.includes(origin));
}

export function corsFor(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = listedIn(origins);
  const withHeaders = cors({
    origin: (origin) => (allowed(origin) ? origin : null),
    allowMethods: ["GET", "POST"],
    // Authorization: the bearer token; If-None-Match and Cache-Control: the stats' ETags and
    // a fresh read; X-Request-Id: the caller's own id for the request, echoed and logged.
    allowHeaders: ["Authorization", "Content-Type", "If-None-Match", "Cache-Control", "X-Request-Id"],
    exposeHeaders: EXPOSED,
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header("Origin");
    if (allowed(origin)) return withHeaders(c, next);
    refusePreflight(c, origin);
    await next();
    // Another origin, or none: the answer differs by Origin, so shared caches must keep them apart.
    c.header("Vary", "Origin", { append: true });
  };
}

/** A preflight from an origin that is not listed: 403 in the envelope, no CORS header. */
function refusePreflight(c: Context<AppEnv>, origin: string | undefined) {
  if (origin !== undefined && c.req.method === "OPTIONS" && c.req.header("Access-Control-Request-Method")) {
    throw new AppError("forbidden", `origin ${origin} may not call this API from a browser (CORS_ORIGINS)`);
  }
}

/** No CORS_ORIGINS: every preflight is refused as an unlisted origin's is (not a 404). */
export const noCors: MiddlewareHandler<AppEnv> = (c, next) => {
  refusePreflight(c, c.req.header("Origin"));
  return next();
};

/**
 * A write from a browser page of another origin (not this server's, not in CORS_ORIGINS) is
 * refused before its body is read. Such a page can send a form or a text/plain POST
 * without a preflight. With tokens it has none to send; but a server running open (no
 * API_TOKENS, loopback: a developer's machine) would otherwise store what any site the
 * developer visits posts to it. Callers that are not browsers send no Origin.
 */
export function crossSiteWrites(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = listedIn(origins);
  return async (c, next) => {
    const origin = c.req.header("Origin");
    if (
      origin === undefined ||
      c.req.method === "GET" ||
      c.req.method === "HEAD" ||
      c.req.method === "OPTIONS"
    )
      return next();
    if (allowed(origin) || sameHost(origin, c.req.url)) return next();
    throw new AppError(
      "forbidden",
      `origin ${origin} may not write to this API from a browser (CORS_ORIGINS)`,
    );
  };
}

/** The page's origin names this server's own host (a proxy in front may change the scheme). */
function sameHost(origin: string, url: string): boolean {
  try {
    return new URL(origin).host === new URL(url).host;
  } catch {
    // "null" (a sandboxed frame, a file) or garbage: not this server.
    return false;
  }
}
