// Every answer carries the request id, however its route built it: the plain answers of
// the hot paths, Hono's own, and a Response whose headers cannot be changed.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/http/env.js";
import { plainAnswer, plainJson, requestIds } from "../../src/http/request-id.js";

const app = new Hono<AppEnv>()
  .use(requestIds())
  .get("/plain", (c) => plainJson(c, { ok: true }, 201))
  .get("/hono", (c) => {
    c.header("X-Own", "kept");
    return c.json({ ok: true }, 200);
  })
  // Response.redirect's headers are immutable (the Fetch standard): stamped on a copy.
  .get("/immutable", () => Response.redirect("http://example.test/elsewhere", 302))
  .get("/unchanged", (c) => plainAnswer(c, null, 304, { ETag: '"x"' }));

const ask = (path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { "X-Request-Id": "given-1", ...headers } });

describe("request ids", () => {
  it("stamps the caller's id on every kind of answer, keeping the answer's own headers", async () => {
    const plain = await ask("/plain");
    expect([plain.status, plain.headers.get("X-Request-Id"), await plain.json()]).toEqual([
      201,
      "given-1",
      { ok: true },
    ]);
    expect(plain.headers.get("Content-Type")).toBe("application/json");
    const hono = await ask("/hono");
    expect([hono.headers.get("X-Request-Id"), hono.headers.get("X-Own")]).toEqual(["given-1", "kept"]);
    const moved = await ask("/immutable");
    expect([moved.status, moved.headers.get("Location"), moved.headers.get("X-Request-Id")]).toEqual([
      302,
      "http://example.test/elsewhere",
      "given-1",
    ]);
    const unchanged = await ask("/unchanged");
    expect([unchanged.status, unchanged.headers.get("ETag"), unchanged.headers.get("X-Request-Id")]).toEqual([
      304,
      '"x"',
      "given-1",
    ]);
  });

  it("makes a new id for a missing, empty, long or unsafe one", async () => {
    for (const given of ["", "a".repeat(129), "a b", "id;drop", "ü"]) {
      const res = await app.request("/plain", given === "" ? {} : { headers: { "X-Request-Id": given } });
      expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    }
    const longest = "a".repeat(128);
    expect((await ask("/plain", { "X-Request-Id": longest })).headers.get("X-Request-Id")).toBe(longest);
  });

  it("answers a browser's call (an Origin) through Hono, so headers waiting in the context stay", async () => {
    const withCors = new Hono<AppEnv>()
      .use(requestIds())
      .use(async (c, next) => {
        c.header("Access-Control-Allow-Origin", "https://ops.example");
        await next();
      })
      .get("/plain", (c) => plainJson(c, { ok: true }, 201));
    const res = await withCors.request("/plain", {
      headers: { Origin: "https://ops.example", "X-Request-Id": "given-2" },
    });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://ops.example");
    expect(res.headers.get("X-Request-Id")).toBe("given-2");
  });
});
