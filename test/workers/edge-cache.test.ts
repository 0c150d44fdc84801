// GET /stats* on Workers: cached per data centre (Cache API) for STATS_CACHE_SECONDS,
// with ETag / 304, auth before any cached answer, and writes visible within the TTL.
import { describe, expect, it } from "vitest";
import { issueReaderToken } from "../../src/auth/signed-tokens.js";
import { SPEC } from "../support/records.js";
import { SIGNING_KEY } from "../support/tokens.js";
import { workerOn } from "./support/worker.js";

let n = 0;
const freshEvent = () => `cache_event_${Date.now()}_${n++}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("edge cache of GET /stats*", () => {
  it("serves repeated reads from the cache within the TTL, and a write is visible once it is over", async () => {
    const w = workerOn({ STATS_CACHE_SECONDS: "1" });
    const e = freshEvent();
    const url = `/stats?event_id=${e}`;
    await w.call("POST", "/scans", { ...SPEC.scan, event_id: e });
    const first = await w.call("GET", url, undefined, { token: "reader" });
    const cachedAt = Date.now();
    expect(first.headers.get("X-Cache")).toBe("MISS");
    // What is left of the edge copy's life, rounded down: clients add no staleness.
    expect(first.headers.get("Cache-Control")).toBe("private, max-age=0");
    expect(first.headers.get("ETag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await first.json()).toMatchObject({ scan_count: 1 });

    await w.call("POST", "/scans", { ...SPEC.scan, event_id: e });
    const second = await w.call("GET", url, undefined, { token: "reader" });
    expect(second.headers.get("X-Cache")).toBe("HIT");
    expect(second.headers.get("ETag")).toBe(first.headers.get("ETag"));
    expect(second.headers.get("Content-Type")).toContain("application/json");
    expect(await second.json()).toMatchObject({ scan_count: 1 });

    await sleep(Math.max(0, cachedAt + 1050 - Date.now()));
    const third = await w.call("GET", url, undefined, { token: "reader" });
    expect(third.headers.get("X-Cache")).toBe("MISS");
    expect(await third.json()).toMatchObject({ scan_count: 2 });
    expect(third.headers.get("ETag")).not.toBe(first.headers.get("ETag"));
  });

  it("answers If-None-Match with 304 on a hit and on a miss, and 200 once the answer changed", async () => {
    const w = workerOn({ STATS_CACHE_SECONDS: "1" });
    const e = freshEvent();
    const url = `/stats/scans?event_id=${e}`;
    await w.call("POST", "/scans", { ...SPEC.scan, event_id: e });
    const etag = (await w.call("GET", url)).headers.get("ETag") as string;
    const hit = await w.call("GET", url, undefined, { headers: { "If-None-Match": etag } });
    expect(hit.status).toBe(304);
    expect(hit.headers.get("X-Cache")).toBe("HIT");
    expect(hit.headers.get("ETag")).toBe(etag);
    expect(await hit.text()).toBe("");
    const weak = await w.call("GET", url, undefined, { headers: { "If-None-Match": `"other", W/${etag}` } });
    expect(weak.status).toBe(304);

    await sleep(1050);
    const miss = await w.call("GET", url, undefined, { headers: { "If-None-Match": etag } });
    expect([miss.status, miss.headers.get("X-Cache")]).toEqual([304, "MISS"]);
    await w.call("POST", "/scans", { ...SPEC.scan, event_id: e });
    await sleep(1050);
    const changed = await w.call("GET", url, undefined, { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ count: 2 });
  });

  it("never serves one scope's answer to another: two scoped readers reading GET /stats back to back see their own events", async () => {
    const w = workerOn({ STATS_CACHE_SECONDS: "5", SCANNER_SIGNING_KEY: SIGNING_KEY });
    const [a, b] = [freshEvent(), freshEvent()];
    for (const e of [a, b]) await w.call("POST", "/scans", { ...SPEC.scan, event_id: e });
    const [ta, tb] = await Promise.all([
      issueReaderToken([a], SIGNING_KEY),
      issueReaderToken([b], SIGNING_KEY),
    ]);
    for (const state of ["MISS", "HIT"]) {
      for (const [token, own] of [
        [ta, a],
        [tb, b],
      ] as const) {
        const res = await w.call("GET", "/stats", undefined, { token });
        expect([res.status, res.headers.get("X-Cache")]).toEqual([200, state]);
        expect(Object.keys((await res.json()) as object)).toEqual([own]);
      }
    }
    // An unscoped reader's GET /stats is kept apart from both, and has both.
    const all = await w.call("GET", "/stats", undefined, { token: "reader" });
    expect(Object.keys((await all.json()) as object)).toEqual(expect.arrayContaining([a, b]));
    // Out of its scope: 403, from the cache or not.
    expect((await w.call("GET", `/stats?event_id=${b}`, undefined, { token: ta })).status).toBe(403);
  });

  it("checks the token before answering from the cache", async () => {
    const w = workerOn();
    const url = `/stats?event_id=${freshEvent()}`;
    const miss = await w.call("GET", url, undefined, { token: "reader" });
    expect(miss.headers.get("X-Cache")).toBe("MISS");
    expect(miss.headers.get("Cache-Control")).toMatch(/^private, max-age=[45]$/);
    expect((await w.call("GET", url, undefined, { token: "reader" })).headers.get("X-Cache")).toBe("HIT");
    const none = await w.call("GET", url, undefined, { token: null });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: "unauthorized" });
    expect((await w.call("GET", url, undefined, { token: "wrong-token-0123456789" })).status).toBe(401);
    expect((await w.call("GET", url, undefined, { token: "ingest" })).status).toBe(403);
    const etag = (await w.call("GET", url, undefined, { token: "reader" })).headers.get("ETag") as string;
    const sneaky = await w.call("GET", url, undefined, { token: null, headers: { "If-None-Match": etag } });
    expect(sneaky.status).toBe(401);
  });

  it("keys answers by URL: other queries and listings are cached apart", async () => {
    const w = workerOn();
    const e = freshEvent();
    await w.call("POST", "/scans", { ...SPEC.scan, event_id: e, ticket_id: "a" });
    await w.call("POST", "/scans", { ...SPEC.scan, event_id: e, ticket_id: "b" });
    const one = await (await w.call("GET", `/stats/scans?event_id=${e}&limit=1`)).json();
    const two = await (await w.call("GET", `/stats/scans?event_id=${e}&limit=2`)).json();
    expect(one).toMatchObject({ count: 1 });
    expect(two).toMatchObject({ count: 2 });
  });

  it("answers Cache-Control: no-cache from the database (X-Cache: BYPASS) and refreshes the cached copy for the others", async () => {
    const w = workerOn({ STATS_CACHE_SECONDS: "60" });
    const count = {
      "/stats?event_id=": (body: Record<string, unknown>) => body.scan_count,
      "/stats/scans?event_id=": (body: Record<string, unknown>) => body.count,
    };
    for (const [route, scans] of Object.entries(count)) {
      const e = freshEvent();
      const url = `${route}${e}`;
      await w.call("POST", "/scans", { ...SPEC.scan, event_id: e });
      const first = await w.call("GET", url, undefined, { token: "reader" });
      expect([first.headers.get("X-Cache"), scans(await first.json())]).toEqual(["MISS", 1]);
      await w.call("POST", "/scans", { ...SPEC.scan, event_id: e });
      const cached = await w.call("GET", url, undefined, { token: "reader" });
      expect([cached.headers.get("X-Cache"), scans(await cached.json())]).toEqual(["HIT", 1]);

      const fresh = await w.call("GET", url, undefined, {
        token: "reader",
        headers: { "Cache-Control": "no-cache" },
      });
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get("X-Cache")).toBe("BYPASS");
      expect(scans(await fresh.json())).toBe(2);
      // The fresh answer replaced the cached one: the next plain read gets it from the cache.
      const after = await w.call("GET", url, undefined, { token: "reader" });
      expect([after.headers.get("X-Cache"), scans(await after.json())]).toEqual(["HIT", 2]);
    }
  });

  it("caches nothing with STATS_CACHE_SECONDS 0 and never caches errors", async () => {
    const w = workerOn({ STATS_CACHE_SECONDS: "0" });
    const e = freshEvent();
    const url = `/stats?event_id=${e}`;
    expect((await w.call("GET", url)).headers.get("X-Cache")).toBe("BYPASS");
    await w.call("POST", "/scans", { ...SPEC.scan, event_id: e });
    const after = await w.call("GET", url);
    expect(after.headers.get("Cache-Control")).toBe("private, max-age=0");
    expect(await after.json()).toMatchObject({ scan_count: 1 });

    const cached = workerOn();
    for (let i = 0; i < 2; i++) {
      const bad = await cached.call("GET", "/stats/scans?limit=0");
      expect(bad.status).toBe(400);
      expect(bad.headers.get("X-Cache")).toBeNull();
    }
  });
});
