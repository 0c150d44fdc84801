// Browser callers on other origins (CORS_ORIGINS): the targets allow CORS_ORIGIN only.
// Registered for each target by ../contract.test.ts.
import { expect, it } from "vitest";
import { freshId } from "../../support/api.js";
import type { HttpTarget } from "../../support/targets/target.js";
import { CORS_ORIGIN } from "../../support/tokens.js";

const OTHER_ORIGIN = "https://elsewhere.example";

const corsHeaders = (res: Response) =>
  [...res.headers.keys()].filter((name) => name.toLowerCase().startsWith("access-control-"));

export function corsChecks(target: () => HttpTarget) {
  it("answers a preflight from an allowed origin without a token, allowing Authorization", async () => {
    const res = await target().call("OPTIONS", "/scans", {
      as: "none",
      headers: {
        Origin: CORS_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(CORS_ORIGIN);
    expect(res.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    const allowed = (res.headers.get("Access-Control-Allow-Headers") ?? "").toLowerCase().split(",");
    expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type"]));
  });

  it("lets an allowed origin read a real answer, and the headers it needs", async () => {
    const e = freshId();
    const res = await target().call("POST", "/scans", {
      as: "ingest",
      body: { ticket_id: "t1", event_id: e },
      headers: { Origin: CORS_ORIGIN },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(CORS_ORIGIN);
    expect(res.headers.get("Access-Control-Expose-Headers")).toContain("X-Request-Id");
    const read = await target().call("GET", `/stats?event_id=${e}`, {
      as: "reader",
      headers: { Origin: CORS_ORIGIN },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get("Access-Control-Allow-Origin")).toBe(CORS_ORIGIN);
    // A refusal is readable too: the page can show why.
    const refused = await target().call("GET", "/stats", { as: "none", headers: { Origin: CORS_ORIGIN } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBe(CORS_ORIGIN);
  });

  it("gives another origin no CORS header: its preflight is refused, its answers unreadable to its page", async () => {
    const preflight = await target().call("OPTIONS", "/scans", {
      as: "none",
      headers: { Origin: OTHER_ORIGIN, "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(403);
    expect(corsHeaders(preflight)).toEqual([]);
    const res = await target().call("GET", "/stats", { as: "reader", headers: { Origin: OTHER_ORIGIN } });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual([]);
    expect(res.headers.get("Vary")).toContain("Origin");
  });

  it("refuses a write from another origin's page (a form POST needs no preflight), storing nothing; this server's own pages may write", async () => {
    const e = freshId();
    const body = { ticket_id: "t1", event_id: e };
    for (const origin of [OTHER_ORIGIN, "null"]) {
      const res = await target().call("POST", "/scans", {
        as: "ingest",
        body,
        headers: { Origin: origin, "Content-Type": "text/plain" },
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toContain(`origin ${origin} may not write`);
    }
    expect((await target().rawCounts(e)).scan_count).toBe(0);
    const own = new URL(target().url).origin;
    const res = await target().call("POST", "/scans", { as: "ingest", body, headers: { Origin: own } });
    expect(res.status).toBe(201);
  });
}
