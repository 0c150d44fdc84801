// Node's shared reads (edgeCache's `coalesce`): requests for one URL and scope that arrive
// before the route has started share its run; a request never joins a run under way, so
// it sees every write acknowledged before it was sent. The start of each run is held here
// until the test lets it go, and the route reads a value the test changes in between.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { edgeCache } from "../../src/http/edge-cache.js";
import type { AppEnv } from "../../src/http/env.js";
import { requestIds } from "../../src/http/request-id.js";

function harness() {
  /** Runs waiting to start, in the order they asked. */
  const held: (() => void)[] = [];
  let value = 1;
  let runs = 0;
  /** While set, the route is under way until it settles. */
  let underWay: Promise<void> | undefined;
  const app = new Hono<AppEnv>()
    .use(requestIds())
    .use(async (c, next) => {
      // The caller's scope, as auth would have set it from its token: `X-Scope: a,b` for an
      // event-scoped reader (not in the URL, which alone would already keep answers apart).
      const scope = c.req.header("X-Scope");
      c.set("principal", {
        role: "reader",
        ...(scope ? { events: new Set(scope.split(",")) } : {}),
      } as never);
      await next();
    })
    .use(edgeCache({ ttlSeconds: 0, coalesce: (start) => held.push(start) }))
    .get("/read", async (c) => {
      runs++;
      const seen = value;
      await underWay;
      if (c.req.query("fail") === String(seen)) return c.json({ error: "no" }, 503);
      const events = c.get("principal")?.events;
      return c.json({ value: seen, scope: events ? [...events].join(",") : null });
    });
  const ask = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });
  const settle = () => new Promise((r) => setTimeout(r, 5));
  /** Lets every run held so far start, and waits until the next asks to be held or all settled. */
  const startAll = async () => {
    await settle();
    for (const start of held.splice(0)) start();
    await new Promise((r) => setTimeout(r, 5));
  };
  return {
    ask,
    startAll,
    settle,
    held,
    get runs() {
      return runs;
    },
    set value(v: number) {
      value = v;
    },
    hold() {
      let release!: () => void;
      underWay = new Promise((r) => (release = r));
      return () => {
        underWay = undefined;
        release();
      };
    },
  };
}

describe("shared reads (Node)", () => {
  it("gives requests that arrive before the run starts one run, and each its own answer", async () => {
    const h = harness();
    const first = h.ask("/read");
    const second = h.ask("/read", { "X-Request-Id": "second" });
    await h.settle();
    expect(h.held).toHaveLength(1); // the second joined the first's run
    await h.startAll();
    const [a, b] = await Promise.all([first, second]);
    expect(h.runs).toBe(1);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await a.json()).toEqual({ value: 1, scope: null });
    expect(await b.json()).toEqual({ value: 1, scope: null });
    expect(a.headers.get("ETag")).toBe(b.headers.get("ETag"));
    // Each answer is its request's own: its id, its Cache-Control.
    expect(b.headers.get("X-Request-Id")).toBe("second");
    expect(a.headers.get("X-Request-Id")).not.toBe("second");
    expect(b.headers.get("Cache-Control")).toBe("private, max-age=0");
  });

  it("never joins a run under way: a request arriving then sees what was written before it", async () => {
    const h = harness();
    const release = h.hold();
    const early = h.ask("/read");
    await h.startAll(); // the early run has started, and reads value 1
    expect(h.runs).toBe(1);
    h.value = 2; // a write acknowledged while that run is still under way
    const late = h.ask("/read");
    await h.settle();
    expect(h.held).toHaveLength(1); // the late request waits for a run of its own
    release();
    await h.startAll();
    expect(await (await early).json()).toEqual({ value: 1, scope: null });
    expect(await (await late).json()).toEqual({ value: 2, scope: null });
    expect(h.runs).toBe(2);
  });

  it("shares nothing between URLs or scopes", async () => {
    const h = harness();
    const asked = [
      h.ask("/read", { "X-Scope": "a" }),
      h.ask("/read", { "X-Scope": "a" }),
      h.ask("/read", { "X-Scope": "b" }),
      h.ask("/read?x=1"),
      h.ask("/read"),
    ];
    await h.settle();
    expect(h.held).toHaveLength(4);
    await h.startAll();
    const bodies = await Promise.all((await Promise.all(asked)).map((r) => r.json()));
    expect(h.runs).toBe(4);
    expect(bodies.map((b) => b.scope)).toEqual(["a", "a", "b", null, null]);
  });

  it("answers 304 to whoever holds the shared answer's ETag, 200 to the others", async () => {
    const h = harness();
    const first = h.ask("/read");
    await h.startAll();
    const etag = (await first).headers.get("ETag") as string;
    const polled = h.ask("/read", { "If-None-Match": etag });
    const fresh = h.ask("/read");
    await h.startAll();
    expect((await polled).status).toBe(304);
    expect((await fresh).status).toBe(200);
    expect(h.runs).toBe(2);
  });

  it("lets each request that joined a run which did not answer 200 run the route itself", async () => {
    const h = harness();
    const release = h.hold();
    const failing = h.ask("/read?fail=1");
    const joined = h.ask("/read?fail=1");
    await h.settle();
    expect(h.held).toHaveLength(1);
    await h.startAll(); // the run reads value 1, and will answer 503
    h.value = 2; // so the joined request's own run answers 200
    release();
    expect((await failing).status).toBe(503);
    const answer = await joined;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ value: 2, scope: null });
    expect(h.runs).toBe(2);
  });
});
