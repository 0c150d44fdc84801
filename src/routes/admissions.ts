// GET /admissions/{ticket_id}: the online admission check a gate makes before it lets
// someone in (DESIGN.md, "Signals"). One primary-key read of the ticket's entry row; never
// served from the edge cache, since a gate must see an entry made a moment ago elsewhere.
import { Hono } from "hono";
import * as z from "zod";
import type { AppDeps, AppEnv } from "../http/env.js";
import { operation } from "../http/operation.js";
import { idString } from "../records.js";

const admissionParams = z.strictObject({ ticket_id: idString });
const admissionQuery = z.strictObject({ event_id: idString });

export function admissionRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get(
    "/admissions/:ticket_id",
    operation(deps, {
      operationId: "getAdmission",
      tag: "Admissions",
      access: ["scanner", "reader"],
      database: true,
      params: admissionParams,
      query: admissionQuery,
    }),
    async (c) => {
      const { ticket_id } = c.req.valid("param");
      const { event_id } = c.req.valid("query");
      c.header("Cache-Control", "no-store");
      return c.json(await c.get("analytics").admission(event_id, ticket_id, c.get("principal")), 200);
    },
  );
}
