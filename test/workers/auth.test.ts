// Auth on Workers fails closed, and AUTH_DISABLED opens it for loopback requests only.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SPEC } from "../support/records.js";
import { workerOn } from "./support/worker.js";

describe("Worker auth", () => {
  it("without API_TOKENS answers every protected route 401, even to a token that would work elsewhere", async () => {
    const w = workerOn({ API_TOKENS: undefined });
    for (const [method, path, body] of [
      ["GET", "/stats", undefined],
      ["GET", "/stats/scans?event_id=e", undefined],
      ["POST", "/scans", SPEC.scan],
    ] as const) {
      expect((await w.call(method, path, body, { token: null })).status).toBe(401);
      expect((await w.call(method, path, body, { token: "admin" })).status).toBe(401);
    }
    expect((await w.call("GET", "/health", undefined, { token: null })).status).toBe(200);
  });

  it("with AUTH_DISABLED serves loopback requests without a token, and nothing else", async () => {
    const w = workerOn({ API_TOKENS: undefined, AUTH_DISABLED: "true" });
    for (const origin of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]) {
      expect((await w.call("POST", "/scans", SPEC.scan, { token: null, origin })).status).toBe(201);
    }
    const remote = await w.call("POST", "/scans", SPEC.scan, {
      token: null,
      origin: "https://veritix.example",
    });
    expect(remote.status).toBe(401);
  });

  it("answers a misconfiguration with the error envelope, not workerd's error page", async () => {
    const w = workerOn({ STATS_CACHE_SECONDS: "forever" });
    const res = await w.call("GET", "/health", undefined, { headers: { "X-Request-Id": "cfg-1" } });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "unavailable", request_id: "cfg-1" });
    const noDatabase = await workerOn({ DB: undefined }).call("GET", "/health");
    expect(noDatabase.status).toBe(503);
    expect(await noDatabase.json()).toMatchObject({ error: "unavailable" });
  });

  it("is the Worker wrangler.toml deploys: its production config has no AUTH_DISABLED", async () => {
    const res = await exports.default.fetch("http://localhost/stats");
    expect(res.status).toBe(401);
    const health = await exports.default.fetch("http://localhost/health");
    expect(await health.json()).toEqual({ status: "ok", database: "d1" });
  });
});
