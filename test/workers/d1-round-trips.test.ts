// What a scanner's signed token costs a request on D1, in calls to the binding (each one
// a round trip to the database): the same as an API token's. The revocation check rides
// in the sync's one batch and in the admission read (src/store/revocations.ts). The
// binding is the real one, its calls counted on the way through.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { issueReaderToken, issueScannerToken } from "../../src/auth/signed-tokens.js";
import { syncBody, syncScan } from "../support/records.js";
import { SIGNING_KEY } from "../support/tokens.js";
import { workerOn } from "./support/worker.js";

/** The DB binding with its calls that reach the database counted: batch(), and a statement's all/first/run/raw. */
function countingD1(db: D1Database) {
  const count = { calls: 0 };
  const real = new WeakMap<object, D1PreparedStatement>();
  const counted = (st: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(st, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        if (typeof v !== "function") return v;
        if (prop === "bind") return (...args: unknown[]) => counted(v.apply(target, args));
        return (...args: unknown[]) => {
          count.calls++;
          return v.apply(target, args);
        };
      },
    });
    real.set(proxy, st);
    return proxy;
  };
  const binding = new Proxy(db, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== "function") return v;
      if (prop === "prepare") return (query: string) => counted(v.call(target, query));
      if (prop === "batch" || prop === "exec") {
        return (arg: unknown) => {
          count.calls++;
          const statements = Array.isArray(arg) ? arg.map((s) => real.get(s) ?? s) : arg;
          return v.call(target, statements);
        };
      }
      return v.bind(target);
    },
  });
  return { binding, count };
}

async function calls(request: (w: ReturnType<typeof workerOn>) => Promise<Response>) {
  const { binding, count } = countingD1(env.DB);
  const res = await request(workerOn({ DB: binding, SCANNER_SIGNING_KEY: SIGNING_KEY }));
  return { status: res.status, calls: count.calls };
}

describe("database calls per request on D1", () => {
  it("POST /sync with a scanner's signed token: an API token's calls; revoked, none more", async () => {
    const scanner = `d1-gate-${crypto.randomUUID().slice(0, 8)}`;
    const signed = await issueScannerToken(scanner, SIGNING_KEY);
    const sync = (token: string) =>
      calls((w) => w.call("POST", "/sync", syncBody(scanner, { scans: [syncScan("d1-rt")] }), { token }));
    const byApiToken = await sync("ingest");
    // The records with their counts and the device's health: one batch.
    expect(byApiToken).toEqual({ status: 200, calls: 1 });
    expect(await sync(signed)).toEqual(byApiToken);
    expect((await calls((w) => w.call("POST", "/admin/revocations", { scanner_id: scanner }))).status).toBe(
      200,
    );
    // Refused by that batch's guard: nothing more is sent.
    expect(await sync(signed)).toEqual({ status: 401, calls: 1 });
  });

  it("GET /stats and /stats/devices for a reader of 60 events: one read, not one per event (D1's free plan allows 50 a request)", async () => {
    const events = Array.from({ length: 60 }, (_, i) => `d1-wide-${i}`);
    const wide = await issueReaderToken(events, SIGNING_KEY);
    expect(await calls((w) => w.call("GET", "/stats", undefined, { token: wide }))).toEqual({
      status: 200,
      calls: 1,
    });
    // Its scanners too: one query per 90 events.
    expect(await calls((w) => w.call("GET", "/stats/devices", undefined, { token: wide }))).toEqual({
      status: 200,
      calls: 1,
    });
  });

  it("GET /admissions with a scanner's signed token: one read, as a reader's", async () => {
    const signed = await issueScannerToken(`d1-gate-${crypto.randomUUID().slice(0, 8)}`, SIGNING_KEY);
    const ask = (token: string) =>
      calls((w) => w.call("GET", "/admissions/t1?event_id=d1-adm", undefined, { token }));
    expect(await ask("reader")).toEqual({ status: 200, calls: 1 });
    expect(await ask(signed)).toEqual({ status: 200, calls: 1 });
  });
});
