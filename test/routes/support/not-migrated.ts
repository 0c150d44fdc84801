// A database without the schema (migrations never applied): every route that reaches the
// database answers 503 `database_not_migrated`, with a message that says what to run;
// never a 500. Written once, run for the routes of each file of test/routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OPENAPI_DOCUMENT from "../../../src/openapi.json" with { type: "json" };
import { expectEnvelope, freshId } from "../../support/api.js";
import { conformanceTo } from "../../support/conformance.js";
import { type RouteApp, routeApp } from "../../support/route-app.js";
import type { RouteCase } from "../../support/routes.js";

export function notMigratedChecks(routes: RouteCase[]) {
  describe("on a database without the schema", () => {
    let t: RouteApp;
    beforeAll(async () => {
      // Each 503 is also held to the OpenAPI document, which lists it for these routes.
      const app = await routeApp({ migrate: false });
      t = (await conformanceTo(OPENAPI_DOCUMENT)).wrap(app);
    });
    afterAll(async () => {
      await t?.close();
    });

    // GET /metrics reads no database.
    for (const route of routes.filter((r) => r.route !== "/metrics")) {
      it(`${route.method} ${route.route}: 503 database_not_migrated, saying to run npm run db:migrate`, async () => {
        const e = freshId("unmigrated");
        const res = await t.call(route.method, route.path(e), { body: route.body?.(e) });
        const body = await expectEnvelope(res, 503, "database_not_migrated");
        expect(body.message).toContain("npm run db:migrate");
      });
    }
  });
}
