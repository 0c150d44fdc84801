// The HTTP contract, the signals (DESIGN.md, "Signals"): what GET /stats/transfers/summary
// and GET /stats/alerts answer equals a plain SQL recomputation from the target's own
// database (../../support/signals-recompute.ts), whatever order the records came in, by
// whichever route (single records, POST /sync batches), with replays and concurrent posts;
// the alerts read page by page through `next`. Every check writes a fresh event, and the
// Worker targets run with the edge cache off, so no answer is a stale cached one.
import { uuidv7 } from "uuidv7";
import { expect, it } from "vitest";
import { freshId, json, scannerToken } from "../../support/api.js";
import { pick, type Rand, random, shuffle } from "../../support/entry-flow-records.js";
import { SPEC } from "../../support/records.js";
import {
  type RecomputedAlerts,
  recomputeAlerts,
  recomputeTransferSummary,
} from "../../support/signals-recompute.js";
import type { HttpTarget } from "../../support/targets/target.js";

export function signalChecks(target: () => HttpTarget) {
  it("answers the transfer summary as a recomputation from the raw rows, whatever the order, replays and concurrent posts", async () => {
    const t = target();
    const e = freshId("rev");
    const rand = random(5);
    const bodies = Array.from({ length: 40 }, () => {
      const { transfer_reason, ...rest } = SPEC.transfer;
      const reason = pick(rand, [null, "", "gift", "Gift", "résale"]);
      return {
        ...rest,
        ...(reason === null ? {} : { transfer_reason: reason }),
        uuid: uuidv7(),
        event_id: e,
        ticket_id: `T${Math.floor(rand() * 8)}`,
        is_successful: rand() < 0.7,
        transfer_timestamp: new Date(
          Date.UTC(2026, 4, 1) + Math.floor(rand() * 3 * 86_400_000),
        ).toISOString(),
      };
    });
    const sent = [...shuffle(rand, bodies), ...bodies.filter(() => rand() < 0.25)];
    for (let i = 0; i < sent.length; i += 4) {
      const answers = await Promise.all(
        sent.slice(i, i + 4).map((body) => t.call("POST", "/transfers", { body, as: "ingest" })),
      );
      for (const a of answers) expect([200, 201]).toContain(a.status);
    }
    const res = await t.call("GET", `/stats/transfers/summary?event_id=${e}`, { as: "reader" });
    expect(res.status).toBe(200);
    const got = await json(res);
    expect(got).toEqual({ event_id: e, ...(await recomputeTransferSummary(t.raw.dialect, t.raw.query, e)) });
    expect(got.successful).toBeGreaterThan(0);
  });

  alertChecks(target);
}

// --- GET /stats/alerts -----------------------------------------------------------------

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** DESIGN.md's defaults: no target sets ALERT_*. */
const THRESHOLDS = { offlineLagSeconds: 60, passbackSeconds: 900, transferChain: 3, burstCount: 10 };

type Body = Record<string, unknown>;
/** One record of the event, and the route that may bring it. */
type Item =
  | { kind: "scan"; body: Body & { scanner_id?: string } }
  | { kind: "attempt"; body: Body }
  | { kind: "transfer"; body: Body };

/**
 * An event with every kind of alert and near misses, as the wire carries it, seeded. Scans:
 * tickets scanned 0–4 times (some at one instant: the uuid decides), valid or refused, at
 * gates and scanners (some without), either hours ago (offline when they arrive) or in the
 * last seconds (online), on 30-second steps so that alerts of several kinds share a time.
 * Transfers: chains by count (one of over 20 users, one of twice the threshold), by two
 * within 600 s (exactly 600 s included), and near misses. Bursts: invalid attempts of an
 * address 9, 10, 11, 29, 30 and 31 times in a minute; a ticket tried by attempts and refused
 * scans; a scanner refusing 12 tickets in a minute.
 */
function alertEvent(seed: number, e: string, prefix: string, now: number): Item[] {
  const rand = random(seed);
  const base = Math.floor((now - 3 * HOUR) / MINUTE) * MINUTE;
  const scanners = ["s1", "s2", "s3", "s4"].map((s) => `${prefix}-${s}`);
  const gates = ["North", "South", "East", "", undefined];
  const iso = (ms: number) => new Date(ms).toISOString();
  const past = (r: Rand) => base + Math.floor(r() * 240) * 30 * SECOND;
  const items: Item[] = [];
  const scan = (over: Body & { scanner_id?: string | undefined; location?: string | undefined }) => {
    const { scanner_id, location, ...rest } = over;
    items.push({
      kind: "scan",
      body: {
        uuid: uuidv7(),
        event_id: e,
        is_valid: true,
        ...rest,
        ...(scanner_id === undefined ? {} : { scanner_id }),
        ...(location === undefined ? {} : { location }),
      },
    });
  };

  // Double entries, at random.
  for (let t = 0; t < 40; t++) {
    const online = rand() < 0.3;
    const times: number[] = [];
    const n = Math.floor(rand() * 5);
    for (let s = 0; s < n; s++) {
      const at =
        times.length && rand() < 0.25
          ? pick(rand, times)
          : online
            ? now - Math.floor(rand() * 20) * SECOND
            : past(rand);
      times.push(at);
      scan({
        ticket_id: `T${t}`,
        scan_timestamp: iso(at),
        is_valid: rand() < 0.8,
        location: pick(rand, gates),
        scanner_id: pick(rand, [...scanners, undefined]),
      });
    }
  }
  // Double entries of each severity, whatever the seed.
  const [s1, s2, s3] = scanners as [string, string, string];
  const at0 = past(rand);
  // high: offline on two scanners; medium: online, another gate within the passback window;
  // low: offline, the same scanner at the same gate.
  scan({ ticket_id: "high", scan_timestamp: iso(at0), location: "North", scanner_id: s1 });
  scan({ ticket_id: "high", scan_timestamp: iso(at0 + 2 * HOUR), location: "South", scanner_id: s2 });
  scan({ ticket_id: "medium", scan_timestamp: iso(now - 15 * SECOND), location: "North", scanner_id: s1 });
  scan({ ticket_id: "medium", scan_timestamp: iso(now - 5 * SECOND), location: "South", scanner_id: s1 });
  scan({ ticket_id: "low", scan_timestamp: iso(at0), location: "East", scanner_id: s2 });
  scan({ ticket_id: "low", scan_timestamp: iso(at0 + 30 * SECOND), location: "East", scanner_id: s2 });
  scan({ ticket_id: "low", scan_timestamp: iso(at0 + HOUR), location: "North", scanner_id: s1 });

  // Transfer chains.
  const transfers = (ticket: string, count: number, gap: () => number, failedEvery = 0) => {
    let at = past(rand);
    let holder = `${prefix}-${ticket}-u0`;
    for (let i = 0; i < count; i++) {
      const ok = failedEvery === 0 || i % failedEvery !== failedEvery - 1;
      const to = `${prefix}-${ticket}-u${i + 1}`;
      items.push({
        kind: "transfer",
        body: {
          ...SPEC.transfer,
          uuid: uuidv7(),
          event_id: e,
          ticket_id: ticket,
          from_user_id: holder,
          to_user_id: to,
          is_successful: ok,
          transfer_timestamp: iso(at),
        },
      });
      if (ok) holder = to;
      at += gap();
    }
  };
  const slow = () => (1 + Math.floor(rand() * 60)) * MINUTE;
  const any = () => pick(rand, [600 * SECOND, 600 * SECOND + 1, 5 * MINUTE, slow(), slow()]);
  transfers("X-long", 23, slow); // 23 successful: high, the chain cut at 20 users
  transfers("X-high", 7, slow, 4); // 6 successful of 7: high
  transfers("X-count", 3, slow); // by count: medium
  transfers("X-quick", 2, () => 600 * SECOND); // two within 600 s, inclusive
  transfers("X-slow", 2, () => 600 * SECOND + 1); // two, 1 ms too far apart: none
  transfers("X-failed", 4, slow, 2); // 2 successful of 4, far apart: none
  for (let t = 0; t < 8; t++) transfers(`X${t}`, 1 + Math.floor(rand() * 5), any, rand() < 0.3 ? 3 : 0);

  // Invalid bursts.
  const minuteOf = () => base + Math.floor(rand() * 120) * MINUTE;
  const attempt = (at: number, over: Body) =>
    items.push({
      kind: "attempt",
      body: {
        uuid: uuidv7(),
        attempt_type: "scan",
        reason: pick(rand, ["invalid_qr", "expired_ticket", "wrong_event"]),
        event_id: e,
        attempt_timestamp: iso(at),
        ...over,
      },
    });
  for (const [k, count] of [9, 10, 11, 29, 30, 31].entries()) {
    const m = minuteOf();
    for (let i = 0; i < count; i++) {
      // The minute's first and last millisecond; one more just after it.
      const at = i === 0 ? m : i === 1 ? m + MINUTE - 1 : m + Math.floor(rand() * MINUTE);
      attempt(at, { ip_address: `10.${seed}.0.${k}` });
    }
    attempt(m + MINUTE, { ip_address: `10.${seed}.0.${k}` });
  }
  const m = minuteOf();
  for (let i = 0; i < 6; i++) attempt(m + i * SECOND, { ticket_id: "tried" });
  for (let i = 0; i < 5; i++) {
    scan({ ticket_id: "tried", scan_timestamp: iso(m + (10 + i) * SECOND), is_valid: false, scanner_id: s3 });
  }
  for (let i = 0; i < 7; i++) {
    scan({ ticket_id: `R${i}`, scan_timestamp: iso(m + (30 + i) * SECOND), is_valid: false, scanner_id: s3 });
  }
  return items;
}

type Request =
  | { path: "/scans" | "/transfers" | "/invalid-attempts"; body: Body }
  | { path: "/sync"; scanner: string; items: number; body: Body };

/**
 * How the items travel: in a random order, scans of the syncing scanners (and some invalid
 * attempts with them) in POST /sync batches of up to 8, everything else posted alone;
 * a quarter of the requests sent again later (a retry after a lost answer).
 */
function plan(items: Item[], syncing: string[], rand: Rand): Request[] {
  const requests: Request[] = [];
  const open = new Map<string, { scans: Body[]; invalid_attempts: Body[]; size: number }>();
  const close = (scanner: string) => {
    const b = open.get(scanner);
    if (!b) return;
    open.delete(scanner);
    requests.push({
      path: "/sync",
      scanner,
      items: b.scans.length + b.invalid_attempts.length,
      body: {
        scanner_id: scanner,
        sent_at: new Date().toISOString(),
        scans: b.scans,
        invalid_attempts: b.invalid_attempts,
      },
    });
  };
  for (const x of shuffle(rand, items)) {
    const scanner = x.kind === "scan" ? x.body.scanner_id : pick(rand, syncing);
    if (x.kind === "transfer" || scanner === undefined || !syncing.includes(scanner) || rand() < 0.4) {
      const path = x.kind === "scan" ? "/scans" : x.kind === "transfer" ? "/transfers" : "/invalid-attempts";
      requests.push({ path, body: x.body });
      continue;
    }
    const b = open.get(scanner) ?? { scans: [], invalid_attempts: [], size: 1 + Math.floor(rand() * 8) };
    open.set(scanner, b);
    if (x.kind === "scan") {
      // A device's scans carry no scanner_id: the batch's is theirs.
      const { scanner_id: _, ...item } = x.body;
      b.scans.push(item);
    } else {
      b.invalid_attempts.push(x.body);
    }
    if (b.scans.length + b.invalid_attempts.length >= b.size) close(scanner);
  }
  for (const scanner of [...open.keys()]) close(scanner);
  return [...requests, ...shuffle(rand, requests).filter(() => rand() < 0.25)];
}

/** Sends the requests, four in flight at a time; each must be taken whole. */
async function deliver(t: HttpTarget, requests: Request[], why: string) {
  let next = 0;
  const writer = async () => {
    for (let r = requests[next++]; r; r = requests[next++]) {
      if (r.path === "/sync") {
        const res = await t.call("POST", "/sync", {
          body: r.body,
          as: { token: await scannerToken(r.scanner) },
        });
        expect(res.status, why).toBe(200);
        const out = await json<{ accepted: number; duplicates: number; rejected: unknown[] }>(res);
        expect(out.rejected, why).toEqual([]);
        expect(out.accepted + out.duplicates, why).toBe(r.items);
      } else {
        const res = await t.call("POST", r.path, { body: r.body, as: "ingest" });
        expect([200, 201], `${why}: POST ${r.path} answered ${res.status}`).toContain(res.status);
        await res.arrayBuffer();
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, writer));
}

type AlertsPage = RecomputedAlerts & { event_id: string; count: number; next: string | null };

/** Every page of an event's alerts, `limit` at a time, following `next` from the first page. */
async function allPages(t: HttpTarget, e: string, limit: number, kind?: string): Promise<AlertsPage[]> {
  const pages: AlertsPage[] = [];
  let before: string | null = null;
  do {
    const q = new URLSearchParams({ event_id: e, limit: String(limit), ...(kind ? { kind } : {}) });
    if (before !== null) q.set("before", before);
    const res = await t.call("GET", `/stats/alerts?${q}`, { as: "reader" });
    if (res.status !== 200) throw new Error(`GET /stats/alerts?${q}: ${res.status} ${await res.text()}`);
    const page = await json<AlertsPage>(res);
    pages.push(page);
    before = page.next;
    if (pages.length > 200) throw new Error(`GET /stats/alerts?${q}: more than 200 pages`);
  } while (before !== null);
  return pages;
}

/** The pages, held to the recomputation: full pages but the last, one summary, every alert once in order. */
function expectPages(pages: AlertsPage[], e: string, limit: number, want: RecomputedAlerts, why: string) {
  for (const [i, p] of pages.entries()) {
    const last = i === pages.length - 1;
    expect(p.event_id, why).toBe(e);
    expect(p.summary, `${why}: page ${i + 1}'s summary`).toEqual(want.summary);
    expect(p.count, `${why}: page ${i + 1}'s count`).toBe(p.alerts.length);
    if (!last) expect(p.count, `${why}: page ${i + 1} is full`).toBe(limit);
    if (last) expect(p.next, why).toBeNull();
  }
  expect(
    pages.flatMap((p) => p.alerts),
    why,
  ).toEqual(want.alerts);
}

const ALERT_SEEDS = [3, 8];

function alertChecks(target: () => HttpTarget) {
  it("answers the alerts page by page as a recomputation from the raw rows, whatever the route, order, replays and concurrent posts", async () => {
    const t = target();
    const seen = new Set<string>();
    for (const seed of ALERT_SEEDS) {
      const e = freshId("alerts");
      const prefix = freshId("gate");
      const why = `seed ${seed}, event ${e}`;
      const rand = random(seed * 13);
      const items = alertEvent(seed, e, prefix, Date.now());
      // s4 and scans without a scanner are posted alone: they never sync.
      const syncing = ["s1", "s2", "s3"].map((s) => `${prefix}-${s}`);
      await deliver(t, plan(items, syncing, rand), why);
      expect(await t.rawCounts(e), why).toMatchObject({
        scan_count: items.filter((x) => x.kind === "scan").length,
        transfer_count: items.filter((x) => x.kind === "transfer").length,
        invalid_attempt_count: items.filter((x) => x.kind === "attempt").length,
      });

      const want = await recomputeAlerts(t.raw.dialect, t.raw.query, e, THRESHOLDS);
      for (const limit of [7, 1000])
        expectPages(await allPages(t, e, limit), e, limit, want, `${why}, limit ${limit}`);
      for (const kind of ["double_entry", "transfer_chain", "invalid_burst"] as const) {
        const only = { summary: want.summary, alerts: want.alerts.filter((a) => a.kind === kind) };
        expectPages(await allPages(t, e, 3, kind), e, 3, only, `${why}, kind ${kind}`);
      }

      for (const a of want.alerts) {
        seen.add(`${a.kind} ${a.severity}`);
        if (a.kind === "double_entry") seen.add(`offline ${a.offline}, passback ${a.passback}`);
        if (a.kind === "invalid_burst") seen.add(`burst of ${a.key_kind}`);
        if (a.kind === "transfer_chain" && (a.chain as unknown[]).length === 20)
          seen.add("a chain cut at 20");
      }
    }
    // What was checked was there: each severity of each kind, offline and online double
    // entries, passbacks, each key of a burst, a chain too long to show whole.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        "double_entry high",
        "double_entry medium",
        "double_entry low",
        "offline true, passback false",
        "offline false, passback true",
        "offline true, passback true",
        "transfer_chain medium",
        "transfer_chain high",
        "invalid_burst medium",
        "invalid_burst high",
        "burst of ip_address",
        "burst of ticket_id",
        "burst of scanner_id",
        "a chain cut at 20",
      ]),
    );
  });
}
