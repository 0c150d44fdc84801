// Bearer-token auth by role, written once and checked for every route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { startServer } from "../../src/node/start.js";
import { silentLogger } from "../../src/observability/logger.js";
import { ROLE_ROUTES, SPEC } from "../support/records.js";
import { startTestServer, type TestServer } from "../support/server.js";

const TOKENS = {
  admin: "admin-token-0123456789",
  ingest: "ingest-token-0123456789",
  reader: "reader-token-0123456789",
};
const API_TOKENS = Object.entries(TOKENS)
  .map(([role, token]) => `${role}:${token}`)
  .join(",");

const ROUTES = [...ROLE_ROUTES, ["GET", "/metrics", undefined, "reader"]] as typeof ROLE_ROUTES;

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe("auth", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer("sqlite", { API_TOKENS });
  });
  afterAll(async () => {
    await s?.stop();
  });

  for (const [method, path, body, role] of ROUTES) {
    const other = role === "reader" ? "ingest" : "reader";
    it(`${method} ${path}: 401 without a token or with a wrong one, 403 for ${other}, ok for ${role} and admin`, async () => {
      const noToken = await s.call(method, path, body);
      expect(noToken.status).toBe(401);
      expect(noToken.headers.get("WWW-Authenticate")).toContain("Bearer");
      expect((await noToken.json()).error).toBe("unauthorized");
      expect((await s.call(method, path, body, bearer("wrong-token-0123456789"))).status).toBe(401);
      expect((await s.call(method, path, body, { Authorization: `Basic ${TOKENS.admin}` })).status).toBe(401);
      const forbidden = await s.call(method, path, body, bearer(TOKENS[other]));
      expect(forbidden.status).toBe(403);
      expect((await forbidden.json()).error).toBe("forbidden");
      expect((await s.call(method, path, body, bearer(TOKENS[role]))).status).toBeLessThan(300);
      expect((await s.call(method, path, body, bearer(TOKENS.admin))).status).toBeLessThan(300);
    });
  }

  it("a refused write stores nothing", async () => {
    await s.call("POST", "/scans", { ...SPEC.scan, event_id: "auth-refused" }, bearer(TOKENS.reader));
    expect((await s.rawCounts("auth-refused")).scan_count).toBe(0);
  });

  it("keeps /health open for load balancers", async () => {
    expect((await s.call("GET", "/health")).status).toBe(200);
  });
});

describe("open mode", () => {
  it("runs without tokens on a loopback address", async () => {
    const s = await startTestServer("sqlite");
    try {
      expect((await s.call("POST", "/scans", SPEC.scan)).status).toBe(201);
    } finally {
      await s.stop();
    }
  });

  it("refuses to start without tokens on a non-loopback address", async () => {
    const config = parseConfig({ HOST: "0.0.0.0", PORT: "0", SQLITE_PATH: ":memory:" });
    await expect(startServer(config, silentLogger)).rejects.toThrow(/refusing to listen/);
  });

  it("refuses configuration it cannot use, naming the variable", () => {
    expect(() => parseConfig({ API_TOKENS: "superuser:abcdefghijklmnopqrstuvwxyz" })).toThrow(/API_TOKENS/);
    expect(() => parseConfig({ API_TOKENS: "reader:short" })).toThrow(/API_TOKENS/);
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
  });
});
