// Per-request plumbing: a logger bound to the request id, the access log and metrics,
// auth by role, and body limits that answer with the error envelope.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { allows, type Role } from "../auth/roles.js";
import { bearerToken, principalFor } from "../auth/tokens.js";
import { AppError } from "../errors.js";
import type { AppDeps, AppEnv } from "./env.js";

export function requestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const log = deps.logger.child({ request_id: c.get("requestId") });
    c.set("log", log);
    const start = performance.now();
    await next();
    // Shutting down: the client should take its next request elsewhere.
    if (deps.draining?.()) c.header("Connection", "close");
    const ms = performance.now() - start;
    const route = c.req.routePath || c.req.path;
    deps.metrics.httpRequest(methodLabel(c.req.method), route, c.res.status, ms / 1000);
    log[accessLevel(c.res.status)]("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(ms * 100) / 100,
    });
  };
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** Node's parser takes some thirty methods, without a token: each would be series of its own. */
const methodLabel = (method: string) => (METHODS.has(method) ? method : "other");

/**
 * A refusal is a warning and a server failure an error, so that LOG_LEVEL=warn keeps
 * the requests someone should look at and drops the rest. A client that hung up (499)
 * is its own doing: info. A 304 is a poll that found nothing new: debug, since an open
 * dashboard makes about 70 a minute, nearly all of them 304s (a soak audit: 20 MB of log
 * a day for one idle page); the metrics count them still.
 */
function accessLevel(status: number): "debug" | "info" | "warn" | "error" {
  if (status >= 500) return "error";
  if (status === 304) return "debug";
  return status >= 400 && status !== 499 ? "warn" : "info";
}

export function requireRole(deps: AppDeps, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (deps.auth.openFor(c.req.url)) {
      c.set("principal", { role: "admin" });
      return next();
    }
    const token = bearerToken(c.req.header("Authorization"));
    if (!token) throw new AppError("unauthorized", "missing bearer token (Authorization: Bearer <token>)");
    const verified = await principalFor(token, deps.auth);
    if ("refused" in verified) {
      // Its id and why, never the token: a log is read by more people than hold tokens.
      const { reason, tokenId, claimedTokenId } = verified.refused;
      c.get("log")?.warn("token refused", {
        reason,
        ...(tokenId ? { token_id: tokenId } : {}),
        ...(claimedTokenId ? { claimed_token_id: claimedTokenId } : {}),
      });
      throw new AppError(
        "unauthorized",
        reason === "expired" ? "invalid token: it has expired" : "invalid token",
      );
    }
    const { principal } = verified;
    if (!allows(principal, roles)) {
      throw new AppError(
        "forbidden",
        `this token's role (${principal.role}) may not ${c.req.method} ${c.req.path}`,
      );
    }
    c.set("principal", principal);
    return next();
  };
}

export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  const tooLarge = () => {
    throw new AppError("payload_too_large", `request body exceeds ${maxSize} bytes`);
  };
  const counted = bodyLimit({ maxSize, onError: tooLarge });
  // bodyLimit reads a chunked body whole before the route: a stream broken meanwhile is the
  // client's doing, as when jsonBody reads it (a route's own failures pass as they are).
  const streamed: MiddlewareHandler<AppEnv> = async (c, next) => {
    let read = false;
    try {
      return await counted(c, () => {
        read = true;
        return next();
      });
    } catch (err) {
      if (read || err instanceof AppError) throw err;
      throw bodyBroke();
    }
  };
  return async (c, next) => {
    // With a Content-Length the header decides, and the body is left untouched: reading
    // c.req.raw.body (as bodyLimit does) turns it into a web stream, which on Node costs
    // more than the whole rest of a small request. Chunked bodies are counted as they come.
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    if (!/^\d+$/.test(length) || Number(length) > maxSize) return tooLarge();
    return next();
  };
}

/**
 * The body stream broke (on Node: the client went away mid-body, or sent a malformed chunk).
 * Its doing, not a database's: nobody will read this answer, and no metric of ours should
 * count it as the server failing.
 */
const bodyBroke = () =>
  new AppError("client_closed_request", "the client closed the connection before its request body arrived");

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The request body as JSON; anything else is a 400, never a 500. */
export async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  let bytes: ArrayBuffer;
  try {
    bytes = await c.req.arrayBuffer();
  } catch (err) {
    if (err instanceof AppError) throw err; // a body over its limit
    throw bodyBroke();
  }
  let text: string;
  try {
    // Strict: a lenient decoding (c.req.text()) stores bytes that are not UTF-8 as U+FFFD,
    // and what was sent is lost without a word (JSON is UTF-8: RFC 8259).
    text = strictUtf8.decode(bytes);
  } catch {
    throw new AppError("malformed_json", "request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("malformed_json", "request body is not valid JSON");
  }
}
