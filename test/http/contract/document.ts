// The OpenAPI document as each target serves it (the answers themselves are held to it by
// ../../support/conformance.ts, for every call of the contract). Registered for each
// target by ../contract.test.ts.
import { expect, it } from "vitest";
import type { HttpTarget } from "../../support/targets/target.js";

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; security: Record<string, string[]>[]; responses: Record<string, unknown> }
    >
  >;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
};

export function documentChecks(target: () => HttpTarget) {
  it("serves OpenAPI 3.1 at GET /openapi.json, public, with both token schemes", async () => {
    const res = await target().call("GET", "/openapi.json", { as: "none" });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes).toMatchObject({
      apiToken: { type: "http", scheme: "bearer" },
      scannerToken: { type: "http", scheme: "bearer" },
    });
  });

  it("serves its reference page at GET /docs, public", async () => {
    const res = await target().call("GET", "/docs", { as: "none" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="swagger-ui">');
  });

  it("describes every route of the API once, each protected one with its roles, 401 and 403", async () => {
    const doc = (await (await target().call("GET", "/openapi.json")).json()) as Doc;
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, ...op })),
    );
    expect(operations.map((o) => o.route)).toEqual(
      expect.arrayContaining([
        "GET /health",
        "GET /metrics",
        "GET /openapi.json",
        "GET /docs",
        "GET /export/scans",
        "GET /export/transfers",
        "GET /export/invalid-attempts",
        "POST /scans",
        "POST /transfers",
        "POST /invalid-attempts",
        "POST /sync",
        "GET /stats",
        "GET /stats/scans",
        "GET /stats/transfers",
        "GET /stats/invalid-attempts",
        "GET /stats/devices",
      ]),
    );
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) {
      if (op.security.length === 0) continue;
      expect(Object.keys(op.responses), op.route).toEqual(expect.arrayContaining(["401", "403"]));
      expect(op.security[0]?.apiToken, op.route).toContain("admin");
    }
    const sync = operations.find((o) => o.route === "POST /sync");
    expect(sync?.security).toEqual([{ apiToken: ["admin", "ingest"] }, { scannerToken: [] }]);
  });
}
