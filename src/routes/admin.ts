// POST /admin/revocations: one lost or stolen gate device shut out without rotating
// SCANNER_SIGNING_KEY (which would lock every other scanner out mid-event). Its signed
// tokens issued until now get 401 at POST /sync and GET /admissions from now on; a token
// issued after it works (src/store/revocations.ts).
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { revocationRequest } from "../records.js";

/** Small: one scanner id. */
const REVOCATION_BODY_LIMIT = 4 * 1024;

export function adminRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post(
    "/admin/revocations",
    operation(deps, {
      operationId: "revokeScanner",
      tag: "Access",
      access: ["admin"],
      database: true,
      body: {
        schema: revocationRequest,
        limit: REVOCATION_BODY_LIMIT,
        description: "The scanner to revoke.",
      },
    }),
    async (c) => {
      const { scanner_id } = c.req.valid("json");
      const revokedAt = await c.get("analytics").revokeScanner(scanner_id);
      c.get("log").warn("scanner revoked", { scanner_id, revoked_at: revokedAt.toISOString() });
      return c.json({ scanner_id, revoked_at: revokedAt }, 200);
    },
  );
}
