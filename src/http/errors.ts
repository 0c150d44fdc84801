// The one error envelope: {"error", "message", "request_id", "issues"?}. Every refusal,
// from the service, the store, Hono's middleware or a bug, leaves through errorResponse:
// onError (validation refusals among them: src/http/operation.ts throws them), notFound,
// GET /health and the Worker's misconfiguration answer all build it here.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, type ErrorCode, STATUS } from "../errors.js";
import { errorFields } from "../observability/logger.js";
import { StoreError, type StoreFailure } from "../store/errors.js";
import type { AppEnv } from "./env.js";

/** Seconds a client should wait before it retries, where retrying is the remedy. */
const RETRY_AFTER: Partial<Record<ErrorCode, string>> = { unavailable: "2" };

export function errorResponse(c: Context<AppEnv>, err: AppError): Response {
  const body: Record<string, unknown> = {
    error: err.code,
    message: err.message,
    request_id: c.get("requestId"),
    ...(err.issues ? { issues: err.issues } : {}),
    ...err.fields,
  };
  const headers: Record<string, string> = {};
  if (err.code === "unauthorized") headers["WWW-Authenticate"] = 'Bearer realm="veritix-analytics"';
  // The rest of an oversize body was never read: the connection cannot carry another request.
  if (err.code === "payload_too_large") headers.Connection = "close";
  const retry = RETRY_AFTER[err.code];
  if (retry) headers["Retry-After"] = retry;
  return c.json(body, STATUS[err.code] as ContentfulStatusCode, headers);
}

const FROM_STORE: Record<StoreFailure, ErrorCode> = {
  unavailable: "unavailable",
  busy: "unavailable",
  not_migrated: "database_not_migrated",
  revoked: "unauthorized",
  // A gate scanner's uploader halves its batch on a 413 (a 5xx it would retry unchanged).
  too_big: "payload_too_large",
};

const FROM_STATUS: Partial<Record<number, ErrorCode>> = {
  400: "malformed_json",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  503: "unavailable",
};

/** Any error as the refusal it stands for; what is not one is a bug (500, logged). */
export function asAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof StoreError) return new AppError(FROM_STORE[err.failure], err.message);
  if (err instanceof HTTPException && err.status < 500) {
    const code = FROM_STATUS[err.status] ?? "malformed_json";
    return new AppError(code, err.message || code);
  }
  return null;
}

export function onError(err: Error, c: Context<AppEnv>) {
  const known = asAppError(err);
  const log = c.get("log");
  if (known) {
    if (err instanceof StoreError && err.failure === "revoked") {
      // Its id, never the token (../auth/signed-tokens.ts).
      const { tokenId, scannerId } = c.get("principal") ?? {};
      log?.warn("token refused", { reason: "revoked", token_id: tokenId, scanner_id: scannerId });
    } else if (err instanceof StoreError) log?.warn(`database ${err.failure}`, errorFields(err));
    if (known.code === "client_closed_request") log?.info("client closed the request", errorFields(err));
    return errorResponse(c, known);
  }
  log?.error("request failed", errorFields(err));
  return errorResponse(
    c,
    new AppError("internal", "internal error; the request id identifies it in the logs"),
  );
}

export function notFound(c: Context<AppEnv>) {
  return errorResponse(c, new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`));
}
