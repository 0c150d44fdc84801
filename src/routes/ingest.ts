// POST /scans, /transfers, /invalid-attempts: one record each. 201 when stored; the same
// uuid again answers 200 with `duplicate: true` and counts nothing.
import { type Context, Hono } from "hono";
import type * as z from "zod";
import type { RecordOutcome } from "../analytics.js";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { plainJson } from "../http/request-id.js";
import { withFastPath } from "../quick-parse.js";
import { invalidAttemptInput, scanInput, transferInput } from "../records.js";

/** One record with metadata at its 8 KiB limit fits with room to spare. */
export const RECORD_BODY_LIMIT = 64 * 1024;

// Built with plain headers, the online gates' hot path (src/http/request-id.ts); a retry's
// 200 is the same kind of answer, so it is built the same way.
function answer(c: Context<AppEnv>, out: RecordOutcome) {
  return out.duplicate
    ? plainJson(c, { id: out.id, uuid: out.uuid, duplicate: true as const }, 200)
    : plainJson(c, { id: out.id, uuid: out.uuid }, 201);
}

/** The operation of one record route: its body is `schema`, read with the fast path. */
function recordOperation<S extends z.ZodObject>(deps: AppDeps, operationId: string, schema: S) {
  return operation(deps, {
    operationId,
    tag: "Records",
    access: ["ingest"],
    database: true,
    body: { schema, limit: RECORD_BODY_LIMIT, read: withFastPath(schema) },
  });
}

export function ingestRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post("/scans", recordOperation(deps, "logTicketScan", scanInput), async (c) =>
      answer(c, await c.get("analytics").record("scans", c.req.valid("json"))),
    )
    .post("/transfers", recordOperation(deps, "logTicketTransfer", transferInput), async (c) =>
      answer(c, await c.get("analytics").record("transfers", c.req.valid("json"))),
    )
    .post("/invalid-attempts", recordOperation(deps, "logInvalidAttempt", invalidAttemptInput), async (c) =>
      answer(c, await c.get("analytics").record("invalidAttempts", c.req.valid("json"))),
    );
}
