// One error type for everything the service refuses; the HTTP edge maps `code` to a
// status and the one error envelope (src/http/errors.ts).
import type * as z from "zod";
import type { issue } from "./records.js";

export type ErrorCode =
  | "validation_failed"
  | "malformed_json"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "payload_too_large"
  | "client_closed_request"
  | "unavailable"
  | "database_not_migrated"
  | "internal";

/** One refusal of an input: where (a dotted path) and what is wrong (records.ts `issue`). */
export type Issue = z.output<typeof issue>;

export const STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 413 | 499 | 500 | 503> = {
  validation_failed: 400,
  malformed_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  // nginx's code for it: the client went away before its request was read; nobody hears it.
  client_closed_request: 499,
  unavailable: 503,
  database_not_migrated: 503,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
    /** More fields of the answer, beside the envelope's (GET /health's status and database). */
    readonly fields?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** zod's issues, with their paths as dotted strings ("scans.3.ticket_id"). */
export function toIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Issue[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

/** `schema`'s reading of `input`, or the 400 with every issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(toIssues(result.error.issues));
  return result.data;
}

export function validationError(issues: Issue[]): AppError {
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : "";
  return new AppError("validation_failed", `invalid input: ${where}${first?.message ?? "rejected"}`, issues);
}

/**
 * An error and what caused it, nearest first: Drizzle wraps a driver's error ("Failed
 * query: ...") with the real reason as `cause`, and drivers wrap their sockets' errors.
 */
export function* causeChain(err: unknown): Generator<unknown> {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    yield e;
    e = (e as { cause?: unknown }).cause;
  }
}
