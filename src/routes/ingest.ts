// POST /scans, /transfers, /invalid-attempts: one record each. 201 when stored; the same
// uuid again answers 200 with `duplicate: true` and counts nothing.
import { type Context, Hono } from "hono";
import type * as z from "zod";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { withFastPath } from "../quick-parse.js";
import { invalidAttemptInput, scanInput, transferInput } from "../records.js";
import { recordDuplicate, recordStored } from "../responses.js";
import type { InsertOutcome } from "../store/types.js";

/** One record with metadata at its 8 KiB limit fits with room to spare. */
export const RECORD_BODY_LIMIT = 64 * 1024;

function answer(c: Context<AppEnv>, out: InsertOutcome) {
  return out.duplicate
    ? c.json({ id: out.id, uuid: out.uuid, duplicate: true as const }, 200)
    : c.json({ id: out.id, uuid: out.uuid }, 201);
}

/** The operation of one record route: its body is `schema`, read with the fast path. */
function recordOperation<S extends z.ZodObject>(
  deps: AppDeps,
  operationId: string,
  what: string,
  schema: S,
  description: string,
) {
  return operation(deps, {
    operationId,
    summary: `Record ${what}`,
    description: `${description} Send a \`uuid\` to make retries safe: the same uuid again is stored and counted once.`,
    tag: "Records",
    access: ["ingest"],
    database: true,
    body: { schema, limit: RECORD_BODY_LIMIT, read: withFastPath(schema) },
    answers: {
      201: { description: "Stored and counted.", content: { schema: recordStored } },
      200: {
        description: "A record with this uuid was stored before: nothing stored or counted again.",
        content: { schema: recordDuplicate },
      },
    },
  });
}

export function ingestRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .post(
      "/scans",
      recordOperation(
        deps,
        "logTicketScan",
        "a ticket scan",
        scanInput,
        "A ticket scanned at a gate, valid or not.",
      ),
      async (c) => answer(c, await c.var.analytics.record("scans", c.req.valid("json"))),
    )
    .post(
      "/transfers",
      recordOperation(
        deps,
        "logTicketTransfer",
        "a ticket transfer",
        transferInput,
        "A ticket passed from one user to another, successful or not.",
      ),
      async (c) => answer(c, await c.var.analytics.record("transfers", c.req.valid("json"))),
    )
    .post(
      "/invalid-attempts",
      recordOperation(
        deps,
        "logInvalidAttempt",
        "an invalid attempt",
        invalidAttemptInput,
        "An attempt refused before it became a scan or transfer (a forged or expired ticket, a wrong event).",
      ),
      async (c) => answer(c, await c.var.analytics.record("invalidAttempts", c.req.valid("json"))),
    );
}
