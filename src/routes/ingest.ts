// POST /scans, /transfers, /invalid-attempts: one record each. 201 when stored; the same
// uuid again answers 200 with `duplicate: true` and counts nothing.
import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/env.js";
import { jsonBody, limitBody, requireRole } from "../http/middleware.js";
import type { InvalidAttemptInput, ScanInput, TransferInput } from "../records.js";
import type { InsertOutcome } from "../store/types.js";

/** One record with metadata at its 8 KiB limit fits with room to spare. */
export const RECORD_BODY_LIMIT = 64 * 1024;

function answer(c: Context<AppEnv>, out: InsertOutcome) {
  return out.duplicate
    ? c.json({ id: out.id, uuid: out.uuid, duplicate: true }, 200)
    : c.json({ id: out.id, uuid: out.uuid }, 201);
}

export function ingestRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  for (const path of ["/scans", "/transfers", "/invalid-attempts"]) {
    app.use(path, requireRole(deps, "ingest"), limitBody(RECORD_BODY_LIMIT));
  }

  // The bodies are whatever the client sent: the service validates them (400 otherwise).
  app.post("/scans", async (c) =>
    answer(c, await c.var.analytics.logTicketScan((await jsonBody(c)) as ScanInput)),
  );
  app.post("/transfers", async (c) =>
    answer(c, await c.var.analytics.logTicketTransfer((await jsonBody(c)) as TransferInput)),
  );
  app.post("/invalid-attempts", async (c) =>
    answer(c, await c.var.analytics.logInvalidAttempt((await jsonBody(c)) as InvalidAttemptInput)),
  );
  return app;
}
