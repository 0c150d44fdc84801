// Random requests to every operation, written once and run on the in-process app
// (test/routes/random-input.test.ts, many) and on every target of the HTTP contract (a
// few): the spec's records and reads with fields dropped, retyped or replaced by awkward
// values (empty, huge, NUL, a lone surrogate, dates out of range, numbers past 2^53,
// prototype keys), unknown methods and paths, bad credentials, batches over the limit.
// Whatever comes: no 5xx, a refused write stores nothing, and each event's counters still
// equal its stored records (every answer is also held to the OpenAPI document by the Api
// it runs on). The listed cases of bad input are ./bad-input*.ts; this is for the
// combinations nobody listed.
import { expect, it } from "vitest";
import { pick, type Random } from "../../src/cli/demo/random.js";
import { type Api, type Caller, freshId } from "./api.js";
import { random } from "./entry-flow-records.js";
import { SPEC, syncBody, syncScan, ZERO_COUNTS } from "./records.js";

const AWKWARD: readonly unknown[] = [
  ...["", " ", "0", "-1", "1.5", "-0", "1e400", "NaN", "Infinity", "9007199254740993", "true", "null"],
  ...["x".repeat(5000), "é", "\u0000", "\ud800", "%00", "%E9", "../..", "[]", "{}", "A".repeat(300)],
  ...["2026-12-06T21:16:00Z", "2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "2026-12-06", "1765055760123"],
  ...["+275760-09-13T00:00:00.000Z", "-271821-04-20T00:00:00.000Z", "9999-12-31T23:59:59.999Z"],
  ...["1m", "5m", "1h", "7d", "double_entry", "bogus", "csv", "ndjson", "xml", "eyJhIjoxfQ", "MTIz"],
  ...[null, true, false, 0, -1, 1e308, 2 ** 53 + 1, 0.5, [], {}, [1, 2], { a: { b: [] } }],
];
const CALLERS: readonly Caller[] = [
  "admin",
  "ingest",
  "reader",
  "scanner",
  "none",
  "wrong",
  "forged-scanner",
];
const READS: Record<string, readonly string[]> = {
  "/stats": ["event_id"],
  "/stats/devices": ["event_id"],
  "/stats/scans": ["event_id", "limit", "before_id", "from", "to"],
  "/stats/transfers": ["event_id", "limit", "before_id", "from", "to"],
  "/stats/invalid-attempts": ["event_id", "limit", "before_id", "from", "to"],
  "/stats/attendance": ["event_id"],
  "/stats/timeline": ["event_id", "bucket", "from", "to", "location", "scanner_id"],
  "/stats/gates": ["event_id"],
  "/stats/alerts": ["event_id", "kind", "limit", "before"],
  "/stats/transfers/summary": ["event_id"],
  "/admissions/T1": ["event_id"],
  "/admissions/%00": ["event_id"],
  "/export/scans": ["event_id", "from", "to", "format"],
  "/export/transfers": ["event_id", "from", "to", "format"],
  "/export/invalid-attempts": ["event_id", "from", "to", "format"],
};
const WRITES = ["/scans", "/transfers", "/invalid-attempts", "/sync", "/admin/revocations"] as const;
/** Who may call a path (the scanner token is gate-a-01's); anyone else is refused. */
const callersOf = (path: string): readonly Caller[] =>
  path.startsWith("/admissions/")
    ? ["reader", "scanner"]
    : path === "/sync"
      ? ["scanner", "ingest"]
      : path === "/admin/revocations"
        ? ["admin"]
        : WRITES.some((w) => w === path)
          ? ["ingest", "admin"]
          : ["reader", "admin"];
const BAD_AUTHORIZATION = [
  "Bearer ",
  "Bearer a.b.c",
  `Bearer ${"x".repeat(10_000)}`,
  "bearer x",
  "Basic Og==",
];

interface Call {
  method: string;
  path: string;
  as: Caller;
  body?: unknown;
  headers: Record<string, string>;
}

/** Requests built from `events` (every record names one of them, so what it stores is counted). */
function requests(rnd: Random, events: readonly string[]) {
  const awkward = () => pick(rnd, AWKWARD);
  /** A value a query parameter takes. */
  const fitting = (name: string): string => {
    const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const values: Record<string, readonly string[]> = {
      event_id: events,
      limit: ["1", "10", "1000"],
      before_id: ["1", "1000"],
      from: [hours(-2), hours(-1)],
      to: [hours(0), hours(1)],
      bucket: ["1m", "5m", "1h", "1d"],
      location: ["Main Entrance", "A"],
      scanner_id: ["scanner_789", "gate-a-01"],
      kind: ["double_entry", "transfer_chain", "invalid_burst"],
      format: ["csv", "ndjson"],
    };
    return pick(rnd, values[name] ?? [""]);
  };
  /** Mostly a caller the path allows, so that the input gets past auth to be judged. */
  const caller = (path: string) => pick(rnd, rnd() < 0.8 ? callersOf(path) : CALLERS);
  /** `value`, or most often something else in its place. */
  const mutate = (value: unknown, depth: number): unknown => {
    const r = rnd();
    if (r < 0.2) return awkward();
    if (r < 0.25 && depth < 3 && value !== null && typeof value === "object") {
      return Array.isArray(value)
        ? value.map((v) => mutate(v, depth + 1))
        : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mutate(v, depth + 1)]));
    }
    return value;
  };
  /** A record with some fields dropped and some replaced; its event stays one of `events`. */
  const mutateRecord = (record: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      const r = rnd();
      if (r < 0.1) continue;
      out[k] = k === "event_id" ? pick(rnd, events) : r < 0.45 ? mutate(v, 0) : v;
    }
    // Defined, not assigned: an assigned "__proto__" would set the prototype, not send the key.
    if (rnd() < 0.1)
      Object.defineProperty(out, pick(rnd, ["__proto__", "constructor", "extra", "id", "received_at"]), {
        value: awkward(),
        enumerable: true,
      });
    return out;
  };
  const read = (): Call => {
    const base = pick(rnd, Object.keys(READS));
    const query = new URLSearchParams();
    for (const name of READS[base] ?? []) {
      const r = rnd();
      if (r < 0.25) continue;
      query.append(name, r < 0.7 ? fitting(name) : String(awkward()));
      if (rnd() < 0.05) query.append(name, String(awkward()));
    }
    const headers: Record<string, string> = {};
    if (rnd() < 0.1) headers["If-None-Match"] = pick(rnd, ["*", '"x"', 'W/"x"', "", `"${"a".repeat(1000)}"`]);
    return { method: "GET", path: `${base}?${query}`, as: caller(base), headers };
  };
  const write = (): Call => {
    const path = pick(rnd, WRITES);
    const event_id = pick(rnd, events);
    const record: Record<string, unknown> =
      path === "/scans"
        ? { ...SPEC.scan, event_id, ticket_id: `T${Math.floor(rnd() * 5)}` }
        : path === "/transfers"
          ? { ...SPEC.transfer, event_id }
          : path === "/invalid-attempts"
            ? { ...SPEC.invalidAttempt, event_id }
            : path === "/admin/revocations"
              ? { scanner_id: "gate-z" }
              : syncBody(pick(rnd, ["gate-a-01", "gate-z"]), {
                  scans: [syncScan(event_id, { ticket_id: "T1" }), syncScan(pick(rnd, events))],
                });
    let body: unknown = mutateRecord(record);
    if (path === "/sync" && rnd() < 0.5) {
      const scans = (body as { scans?: unknown }).scans;
      if (Array.isArray(scans))
        (body as { scans: unknown[] }).scans = scans.map((s) =>
          s !== null && typeof s === "object" && !Array.isArray(s)
            ? mutateRecord(s as Record<string, unknown>)
            : s,
        );
    }
    const r = rnd();
    if (r < 0.04) body = pick(rnd, ["", "{", "[]", "null", "1", '"x"', `{"a":${"[".repeat(5000)}`]);
    else if (r < 0.06)
      body = syncBody("gate-z", {
        scans: Array.from({ length: pick(rnd, [0, 1001]) }, () => syncScan(event_id, { ticket_id: "T2" })),
      });
    const headers: Record<string, string> = {};
    if (rnd() < 0.05)
      headers["Content-Type"] = pick(rnd, [
        "text/plain",
        "application/json; charset=latin1",
        "application/x-www-form-urlencoded",
      ]);
    return { method: "POST", path, as: caller(path), body, headers };
  };
  return (): Call => {
    const req = rnd() < 0.55 ? read() : write();
    // Now and then a method or a path the API does not have, or a credential nobody issued.
    if (rnd() < 0.06) req.method = pick(rnd, ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
    if (rnd() < 0.04) req.path = req.path.replace(/\?|$/, `${pick(rnd, ["/", "//", "/x", "%2F"])}?`);
    if (rnd() < 0.06) {
      req.as = "none";
      req.headers.Authorization = pick(rnd, BAD_AUTHORIZATION);
    }
    if (req.method === "GET" || req.method === "HEAD") req.body = undefined;
    return req;
  };
}

/**
 * One test per seed: `count` random requests through `api` (held to the OpenAPI document by
 * the caller's wrapping), then every event's counters against its raw records.
 */
export function randomInputChecks(api: () => Api, opts: { seeds: readonly number[]; count: number }) {
  for (const seed of opts.seeds) {
    it(`answers ${opts.count.toLocaleString("en-US")} random requests with no 5xx; a refused write stores nothing; counters stay exact (seed ${seed})`, async () => {
      const t = api();
      const events = [freshId("rand"), freshId("rand"), "", "é", "E".repeat(300)];
      const countsOfAll = () => Promise.all(events.map((e) => t.rawCounts(e)));
      const next = requests(random(seed), events);
      const failures: string[] = [];
      for (let i = 0; i < opts.count; i++) {
        const req = next();
        const before = req.method === "GET" ? null : await countsOfAll();
        const res = await t.call(req.method, req.path, req);
        const what = `${req.method} ${req.path.slice(0, 120)} as ${req.as}: ${res.status}`;
        if (res.status >= 500) failures.push(`${what} ${(await res.text()).slice(0, 300)}`);
        else await res.arrayBuffer();
        if (before && res.status >= 400) {
          const after = await countsOfAll();
          if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${what} stored something`);
        }
      }
      expect(failures).toEqual([]);
      for (const e of events) {
        const res = await t.call("GET", `/stats?event_id=${encodeURIComponent(e)}`, { as: "reader" });
        const raw = await t.rawCounts(e);
        if (res.status === 200) expect(await res.json()).toMatchObject(raw);
        // An event id the API refuses (empty, too long) holds nothing.
        else expect([res.status, raw]).toEqual([400, ZERO_COUNTS]);
      }
      // Something was stored and counted, so the check above is not of empty events alone.
      expect((await countsOfAll()).some((c) => c.scan_count > 0)).toBe(true);
    });
  }
}
