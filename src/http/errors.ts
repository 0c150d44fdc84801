// The one error envelope: {"error", "message", "request_id", "issues"?}. Every refusal,
// from the service, from Hono's middleware or from a bug, leaves through here.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, type ErrorCode, STATUS, toIssues, validationError } from "../errors.js";
import { errorFields } from "../observability/logger.js";
import type { AppEnv } from "./env.js";

const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "malformed_json",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  503: "unavailable",
};

export function errorResponse(c: Context<AppEnv>, err: AppError) {
  const body: Record<string, unknown> = {
    error: err.code,
    message: err.message,
    request_id: c.get("requestId"),
  };
  if (err.issues) body.issues = err.issues;
  const res = c.json(body, STATUS[err.code] as ContentfulStatusCode);
  if (err.code === "unauthorized") res.headers.set("WWW-Authenticate", 'Bearer realm="veritix-analytics"');
  // The rest of an oversize body was never read: the connection cannot carry another request.
  if (err.code === "payload_too_large") res.headers.set("Connection", "close");
  return res;
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "SQLITE_BUSY",
  "SQLITE_WRITER_DOWN", // src/store/sqlite/embedded/thread.ts
  "3D000",
  "53300",
]);

/** A database that is down, restarting or overloaded: the client should retry later. */
function isTransient(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (TRANSIENT_CODES.has(code) || /^(08|57P)/.test(code))) return true;
    if (e instanceof Error && /Connection terminated|connect ECONNREFUSED/.test(e.message)) return true;
  }
  return false;
}

export function onError(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) return errorResponse(c, err);
  if (isTransient(err)) {
    c.get("log")?.warn("database unavailable", errorFields(err));
    const res = errorResponse(c, new AppError("unavailable", "the database is unavailable; retry shortly"));
    res.headers.set("Retry-After", "2");
    return res;
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = BY_STATUS[err.status] ?? "malformed_json";
    return errorResponse(c, new AppError(code, err.message || code));
  }
  c.get("log")?.error("request failed", errorFields(err));
  return errorResponse(
    c,
    new AppError("internal", "internal error; the request id identifies it in the logs"),
  );
}

export function notFound(c: Context<AppEnv>) {
  return errorResponse(c, new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`));
}

/** @hono/zod-validator hook: a failed parse becomes the 400 envelope with its issues. */
export function validationHook(result: {
  success: boolean;
  error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
}) {
  if (!result.success) throw validationError(toIssues(result.error?.issues ?? []));
}
