// A database without the schema (migrations never applied): every route that reaches the
// database answers 503 `database_not_migrated`, with a message that says what to run;
// never a 500. Written once, run for the routes of each file of test/routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope, freshId } from "../../support/api.js";
import { type RouteApp, routeApp } from "../../support/route-app.js";
import type { RouteCase } from "../../support/routes.js";

export function notMigratedChecks(routes: RouteCase[]) {
  describe("on a database without the schema", () => {
    let t: RouteApp;
    beforeAll(async () => {
      t = await routeApp({ migrate: false });
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
