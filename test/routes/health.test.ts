// GET /health and GET /metrics in process (app.request), request ids, unknown routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/observability/logger.js";
import { prometheusMetrics } from "../../src/observability/prometheus.js";
import { expectEnvelope, freshId, json } from "../support/api.js";
import { authChecks } from "../support/auth-checks.js";
import { SPEC, syncAttempt, syncBody, syncScan } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { routesOf } from "../support/routes.js";
import { notMigratedChecks } from "./support/not-migrated.js";

describe("health, metrics and request ids", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp({ metrics: prometheusMetrics() });
  });
  afterAll(async () => {
    await t?.close();
  });

  authChecks(() => t, routesOf("health"));

  it("GET /health answers 200 with the database's name", async () => {
    const res = await t.call("GET", "/health", { as: "none" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "sqlite" });
  });

  it("echoes a request id it is given, makes one up otherwise, and replaces one it cannot log safely", async () => {
    const given = await t.call("GET", "/health", { headers: { "X-Request-Id": "trace-abc-123" } });
    expect(given.headers.get("X-Request-Id")).toBe("trace-abc-123");
    const made = (await t.call("GET", "/health")).headers.get("X-Request-Id");
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    for (const bad of ["x".repeat(129), "two words", "semi;colon"]) {
      const res = await t.call("GET", "/health", { headers: { "X-Request-Id": bad } });
      expect(res.headers.get("X-Request-Id")).not.toBe(bad);
      expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("GET /metrics counts database operations, ingested records and requests, in Prometheus text", async () => {
    await t.call("POST", "/scans", { body: { ...SPEC.scan, event_id: freshId() }, as: "ingest" });
    const res = await t.call("GET", "/metrics", { as: "reader" });
    expect(res.headers.get("Content-Type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/veritix_records_ingested_total\{kind="scans",outcome="stored"\} [1-9]/);
    expect(text).toMatch(/veritix_db_operation_seconds_count\{operation="insert",result="ok"\} [1-9]/);
    expect(text).toMatch(
      /veritix_http_request_seconds_count\{method="POST",route="\/scans",status="201"\} [1-9]/,
    );
  });

  it("GET /metrics counts a sync's rejected items under their kinds, beside the stored ones", async () => {
    const e = freshId();
    const scans = [syncScan(e), syncScan(e, { ticket_id: "" }), syncScan(e, { scan_timestamp: "soon" })];
    const res = await t.call("POST", "/sync", {
      body: syncBody("gate-metrics", {
        scans,
        invalid_attempts: [syncAttempt(e, { reason: "" }), syncAttempt(e)],
      }),
      as: "ingest",
    });
    expect(await json(res)).toMatchObject({ accepted: 2, rejected: [{}, {}, {}] });
    const text = await (await t.call("GET", "/metrics", { as: "reader" })).text();
    expect(text).toMatch(/veritix_records_ingested_total\{kind="scans",outcome="rejected"\} 2\n/);
    expect(text).toMatch(/veritix_records_ingested_total\{kind="invalid_attempts",outcome="rejected"\} 1\n/);
    // Stored ones under the same label (a kind is labelled as the API writes it).
    expect(text).toMatch(/veritix_records_ingested_total\{kind="invalid_attempts",outcome="stored"\} [1-9]/);
    expect(text).not.toContain('kind="invalidAttempts"');
    expect(text).not.toContain('kind="sync"');
  });

  it("GET /metrics labels a method no route takes as other: no series of its own for each", async () => {
    expect((await t.call("PROPFIND", "/stats")).status).toBe(404);
    const text = await (await t.call("GET", "/metrics", { as: "reader" })).text();
    expect(text).toMatch(
      /veritix_http_request_seconds_count\{method="other",route="[^"]+",status="404"\} [1-9]/,
    );
    expect(text).not.toContain('method="PROPFIND"');
  });

  it("an unknown route: 404 in the error envelope, not an HTML page", async () => {
    const res = await t.call("GET", "/nope");
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const body = await expectEnvelope(res, 404, "not_found");
    expect(body.message).toContain("/nope");
  });
});

describe("GET /metrics where nothing can scrape it (the Worker's case)", () => {
  it("answers 404 in the error envelope", async () => {
    const t = await routeApp();
    try {
      const body = await expectEnvelope(await t.call("GET", "/metrics", { as: "reader" }), 404, "not_found");
      expect(body.message).toContain("metrics");
    } finally {
      await t.close();
    }
  });
});

describe("GET /health while the server drains (SIGTERM)", () => {
  it("answers 503 unavailable, so load balancers send requests elsewhere", async () => {
    const t = await routeApp({ draining: () => true });
    try {
      const res = await t.call("GET", "/health", { as: "none" });
      const body = await expectEnvelope(res, 503, "unavailable");
      expect(body).toMatchObject({ status: "unavailable", database: "sqlite" });
      expect(res.headers.get("Connection")).toBe("close");
    } finally {
      await t.close();
    }
  });
});

notMigratedChecks(routesOf("health"));

describe("GET /health on a database without the schema", () => {
  it("says so in the body, as the other routes do: status unavailable, database sqlite", async () => {
    const t = await routeApp({ migrate: false });
    try {
      const body = await json(await t.call("GET", "/health", { as: "none" }));
      expect(body).toMatchObject({
        error: "database_not_migrated",
        status: "unavailable",
        database: "sqlite",
      });
    } finally {
      await t.close();
    }
  });
});

describe("the access log", () => {
  it("logs an unchanged poll (304) at debug, the answer it repeats at info", async () => {
    const lines: Record<string, unknown>[] = [];
    const t = await routeApp({ logger: createLogger("debug", {}, (line) => lines.push(JSON.parse(line))) });
    try {
      const first = await t.call("GET", "/stats?event_id=polled", { as: "reader" });
      const etag = first.headers.get("ETag") ?? "";
      const again = await t.call("GET", "/stats?event_id=polled", {
        as: "reader",
        headers: { "If-None-Match": etag },
      });
      expect([first.status, again.status]).toEqual([200, 304]);
      const access = lines.filter((l) => l.msg === "request").map((l) => [l.level, l.status]);
      expect(access).toEqual([
        ["info", 200],
        ["debug", 304],
      ]);
    } finally {
      await t.close();
    }
  });

  it("logs every request with its status, a refusal at warn and a server failure at error", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger("info", {}, (line) => lines.push(JSON.parse(line)));
    const t = await routeApp({ logger, migrate: false });
    try {
      await t.call("GET", "/metrics", { as: "reader" }); // 404: no metrics in this app
      await t.call("GET", "/stats", { as: "none" }); // 401
      await t.call("GET", "/stats", { as: "reader" }); // 503: no schema
      await t.call("GET", "/health", { as: "none" }); // 503: no schema
      const access = lines.filter((l) => l.msg === "request").map((l) => [l.level, l.status, l.path]);
      expect(access).toEqual([
        ["warn", 404, "/metrics"],
        ["warn", 401, "/stats"],
        ["error", 503, "/stats"],
        ["error", 503, "/health"],
      ]);
    } finally {
      await t.close();
    }
    const quiet: Record<string, unknown>[] = [];
    const warnOnly = await routeApp({
      logger: createLogger("warn", {}, (line) => quiet.push(JSON.parse(line))),
    });
    try {
      expect((await warnOnly.call("GET", "/health")).status).toBe(200);
      expect((await warnOnly.call("GET", "/stats", { as: "none" })).status).toBe(401);
      expect(quiet.filter((l) => l.msg === "request").map((l) => [l.level, l.status])).toEqual([
        ["warn", 401],
      ]);
    } finally {
      await warnOnly.close();
    }
  });
});
