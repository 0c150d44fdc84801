// GET /stats/transfers/summary in process (app.request): auth by role, the answer's shape
// and order on a small event, and a database without the schema. The figures under any
// arrival order are held to a recomputation by the store and HTTP contracts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshId, json } from "../support/api.js";
import { authChecks } from "../support/auth-checks.js";
import { SPEC } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { routesOf } from "../support/routes.js";
import { notMigratedChecks } from "./support/not-migrated.js";

describe("transfer summary", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  authChecks(() => t, routesOf("signals"));

  it("answers totals, tickets transferred, reasons by total (no reason last) and UTC days", async () => {
    const e = freshId("rev");
    const { transfer_reason, ...noReason } = SPEC.transfer;
    const post = async (body: object) =>
      expect(
        (await t.call("POST", "/transfers", { body: { ...body, event_id: e }, as: "ingest" })).status,
      ).toBe(201);
    await post({ ...noReason, ticket_id: "a", transfer_timestamp: "2026-03-01T23:59:59.999Z" });
    await post({ ...noReason, ticket_id: "a", transfer_timestamp: "2026-03-02T00:00:00.000Z" });
    await post({ ...noReason, ticket_id: "b", transfer_timestamp: "2026-03-02T10:00:00Z" });
    await post({
      ...SPEC.transfer,
      ticket_id: "b",
      transfer_reason: "gift",
      transfer_timestamp: "2026-03-02T11:00:00Z",
    });
    await post({
      ...SPEC.transfer,
      ticket_id: "c",
      transfer_reason: "resale",
      is_successful: false,
      transfer_timestamp: "2026-03-03T09:00:00Z",
    });
    const res = await t.call("GET", `/stats/transfers/summary?event_id=${e}`, { as: "reader" });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      event_id: e,
      successful: 4,
      failed: 1,
      tickets_transferred: 2,
      by_reason: [
        { reason: "gift", successful: 1, failed: 0 },
        { reason: "resale", successful: 0, failed: 1 },
        { reason: null, successful: 3, failed: 0 },
      ],
      by_day: [
        { date: "2026-03-01", successful: 1, failed: 0 },
        { date: "2026-03-02", successful: 3, failed: 0 },
        { date: "2026-03-03", successful: 0, failed: 1 },
      ],
    });
  });
});

notMigratedChecks(routesOf("signals"));
