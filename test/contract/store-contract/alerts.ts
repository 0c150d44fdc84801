// The store contract, alerts: GET /stats/alerts (as the service answers it from the store's
// signal aggregates), followed page by page through `next`, equals a plain SQL
// recomputation from the raw rows (../../support/signals-recompute.ts) under any arrival
// order, batching, replays and concurrent writers, for the default thresholds and others
// at, below and above the records' figures; a second scan follows own time, not arrival;
// an event without alerts answers zeros; the alerts outlive the records' retention.
import { uuidv4 } from "uuidv7";
import { expect, it } from "vitest";
import { createAnalytics } from "../../../src/analytics.js";
import type { AlertThresholds } from "../../../src/signals/alerts.js";
import { type AlertKind, type AlertPlace, cursorParam } from "../../../src/signals/cursor.js";
import type {
  DeviceReport,
  InvalidAttemptRow,
  RecordBatch,
  ScanRow,
  Store,
  TransferRow,
} from "../../../src/store/types.js";
import type { RawDatabase } from "../../support/entry-flow-recompute.js";
import { pick, type Rand, random, shuffle } from "../../support/entry-flow-records.js";
import { attemptRow, batch, scanRow, transferRow } from "../../support/records.js";
import { type RecomputedAlerts, recomputeAlerts } from "../../support/signals-recompute.js";
import { at, type ContractContext, freshEvent, receivedSoFar } from "./context.js";

const SEC = 1000;
const MIN = 60_000;
const HOUR = 3_600_000;
const KINDS: AlertKind[] = ["double_entry", "transfer_chain", "invalid_burst"];

export const DEFAULTS: AlertThresholds = {
  offlineLagSeconds: 60,
  passbackSeconds: 900,
  transferChain: 3,
  burstCount: 10,
};

/**
 * Thresholds at, below and above the records' figures (burst counts 9, 10, 11 and 30;
 * chains of 2, 3, 4, 6 and more; gaps around 900 s; scans received seconds or minutes late).
 */
export const THRESHOLDS: AlertThresholds[] = [
  DEFAULTS,
  { offlineLagSeconds: 0, passbackSeconds: 0, transferChain: 2, burstCount: 9 },
  { offlineLagSeconds: 86_400, passbackSeconds: 86_400, transferChain: 4, burstCount: 11 },
  { offlineLagSeconds: 60, passbackSeconds: 899, transferChain: 6, burstCount: 30 },
  { offlineLagSeconds: 600, passbackSeconds: 901, transferChain: 21, burstCount: 1 },
];

export type Rec =
  | { kind: "scans"; row: ScanRow }
  | { kind: "transfers"; row: TransferRow }
  | { kind: "invalidAttempts"; row: InvalidAttemptRow };

function toBatch(recs: Rec[]): RecordBatch {
  const b = batch({});
  for (const r of recs) {
    if (r.kind === "scans") b.scans.push(r.row);
    else if (r.kind === "transfers") b.transfers.push(r.row);
    else b.invalidAttempts.push(r.row);
  }
  return b;
}

const report = (scanner: string): DeviceReport => ({
  scanner_id: scanner,
  received_at: new Date(),
  sent_at: new Date(),
  items: 0,
  rejected: 0,
  pending: 0,
  oldest_pending_at: null,
  app_version: null,
});

// Gates and scanners, some absent (a gate of '' is no gate, as null is).
const GATES = ["North", "South", "East", null, ""] as const;
const SCANNERS = ["s1", "s2", "s3", null] as const;
// Between a ticket's consecutive scans: the same instant (the uuid decides), around the
// passback threshold (900 s) and the offline lag (60 s), and far apart.
const SCAN_GAPS = [0, 0, 1, SEC, 59 * SEC, 61 * SEC, 899_999, 900 * SEC, 900_001, 901 * SEC, HOUR];
// Between a ticket's consecutive transfers: exactly 600 s (a quick pair, inclusive), either
// side of it, the same instant, and far apart.
const TRANSFER_GAPS = [600_000, 600_000, 599_999, 600_001, 0, 300_000, HOUR, 5 * HOUR];
// Successful transfers of a ticket: chains of 2, 3, 6+ and one longer than the 20 users shown.
const CHAINS = [0, 1, 2, 2, 3, 3, 4, 5, 6, 7, 9];
// No stored text holds a comparison order of its own: ids that sort differently in UTF-16
// and bytewise (U+FF01 before an emoji in UTF-16, after it bytewise), accents, case.
const ODD = ["", "é", "😀", "\uFF01", "Z", "a", "A"];
const REASONS = ["expired_ticket", "invalid_qr", "Invalid_qr", "wrong_event", "révoqué", "invalid_scan"];

/** The minute signalRecords ties alerts of every kind at: some 40 minutes before `now` (scans there reached the server late). */
export const anchorMinute = (now: number) => Math.floor((now - 40 * MIN) / MIN) * MIN;

/**
 * An event's records for the alerts: double entries (valid and invalid scans, several gates
 * and scanners, some scanned minutes ago and so received late, some seconds ago and not, gaps
 * around the thresholds); transfer chains (2, 3, 6+ successful, quick pairs, failed ones
 * mixed in); invalid bursts (IP addresses, scanners and tickets, 9, 10, 11 and 30 records in
 * a minute, and more across a minute's end); and, at one minute, one of each kind and many
 * double entries, so the listing's ties (kind, then key bytewise) fall across pages.
 */
export function signalRecords(seed: number, e: string, now: number): Rec[] {
  const rand = random(seed);
  const recs: Rec[] = [];
  const m = anchorMinute(now);
  const scan = (over: Partial<ScanRow>) =>
    recs.push({ kind: "scans", row: scanRow({ uuid: uuidv4(), event_id: e, ...over }) });
  const attempt = (over: Partial<InvalidAttemptRow>) =>
    recs.push({ kind: "invalidAttempts", row: attemptRow({ uuid: uuidv4(), event_id: e, ...over }) });
  const transfer = (over: Partial<TransferRow>) =>
    recs.push({ kind: "transfers", row: transferRow({ uuid: uuidv4(), event_id: e, ...over }) });

  // Double entries.
  for (let t = 0; t < 40; t++) {
    const ticket_id = `D${t}${pick(rand, ODD)}`;
    const scans = 1 + Math.floor(rand() * 4);
    const style = pick(rand, ["past", "past", "recent", "lag", "mixed"] as const);
    let time =
      style === "recent"
        ? now - 9 * SEC + Math.floor(rand() * 4 * SEC)
        : style === "lag"
          ? now - 66 * SEC + Math.floor(rand() * 12 * SEC)
          : m - Math.floor(rand() * 3 * HOUR);
    let [location, scanner_id]: [string | null, string | null] = [pick(rand, GATES), pick(rand, SCANNERS)];
    for (let s = 0; s < scans; s++) {
      if (s > 0) {
        if (style === "mixed" && s === 1) time = now - 5 * SEC + Math.floor(rand() * 3 * SEC);
        else time += style === "past" || style === "mixed" ? pick(rand, SCAN_GAPS) : pick(rand, [0, 1, SEC]);
        // Half the time at the same gate and scanner as the scan before.
        if (rand() < 0.5) [location, scanner_id] = [pick(rand, GATES), pick(rand, SCANNERS)];
      }
      scan({
        ticket_id,
        scan_timestamp: new Date(time),
        is_valid: rand() < 0.8,
        location,
        scanner_id,
      });
    }
  }
  // Ties at minute m: second scans of many tickets at the same instant.
  for (const suffix of ODD) {
    const ticket_id = `Z${suffix}`;
    scan({ ticket_id, scan_timestamp: new Date(m - 2 * MIN), location: "North", scanner_id: "s1" });
    scan({ ticket_id, scan_timestamp: new Date(m), location: pick(rand, GATES), scanner_id: "s2" });
    if (rand() < 0.5) scan({ ticket_id, scan_timestamp: new Date(m + MIN), scanner_id: "s3" });
  }

  // Transfer chains, failed transfers mixed in.
  for (let t = 0; t < 18; t++) {
    const ticket_id = `X${t}${pick(rand, ODD)}`;
    const successful = t === 0 ? 23 : pick(rand, CHAINS);
    let time = m - Math.floor(rand() * 48 * HOUR);
    const start = time;
    let holder = `u${t}-0`;
    for (let i = 0; i < successful; i++) {
      const to = `u${t}-${i + 1}`;
      transfer({ ticket_id, transfer_timestamp: new Date(time), from_user_id: holder, to_user_id: to });
      holder = to;
      time += pick(rand, TRANSFER_GAPS);
    }
    for (let f = Math.floor(rand() * 4); f > 0; f--) {
      transfer({
        ticket_id,
        transfer_timestamp: new Date(start + Math.floor(rand() * (time - start + HOUR))),
        from_user_id: holder,
        to_user_id: `v${t}-${f}`,
        is_successful: false,
      });
    }
  }
  // Chains raised at minute m: the third of three; the later of two exactly 600 s apart; and
  // two 600.001 s apart, no chain by default.
  for (const [ticket_id, times] of [
    ["Y3", [m - 2 * HOUR, m - HOUR, m]],
    ["Y2", [m - 600_000, m]],
    ["Y2-late", [m - 600_001, m]],
  ] as const) {
    for (const [i, time] of times.entries())
      transfer({
        ticket_id,
        transfer_timestamp: new Date(time),
        from_user_id: `${ticket_id}-${i}`,
        to_user_id: `${ticket_id}-${i + 1}`,
      });
  }

  // Invalid bursts: `count` records of a key in one minute.
  const minutes = [m, m - MIN, m - 7 * MIN, m - 90 * MIN];
  const noise = () => `n${Math.floor(rand() * 1e9)}`;
  const within = (minute: number) => new Date(minute + Math.floor(rand() * MIN));
  let group = 0;
  for (const count of [9, 10, 11, 30, ...(rand() < 0.5 ? [27, 33] : [3])]) {
    for (const keyKind of ["ip_address", "ticket_id", "scanner_id"] as const) {
      const key = `${keyKind}-${group++}${pick(rand, ODD)}`;
      const minute = pick(rand, minutes);
      for (let i = 0; i < count; i++) {
        const time = within(minute);
        if (keyKind === "ip_address")
          attempt({
            ip_address: key,
            ticket_id: rand() < 0.5 ? null : noise(),
            attempt_timestamp: time,
            reason: pick(rand, REASONS),
          });
        else if (keyKind === "scanner_id")
          scan({ scanner_id: key, ticket_id: noise(), scan_timestamp: time, is_valid: false });
        else if (rand() < 0.6)
          attempt({
            ticket_id: key,
            ip_address: rand() < 0.5 ? null : noise(),
            attempt_timestamp: time,
            reason: pick(rand, REASONS),
          });
        else
          scan({
            ticket_id: key,
            scanner_id: rand() < 0.5 ? null : noise(),
            scan_timestamp: time,
            is_valid: false,
          });
      }
    }
  }
  // Across a minute's end: 9 in the minute's last milliseconds, 2 at the next one's start.
  for (let i = 0; i < 11; i++) {
    const time = i < 9 ? m - 1 - Math.floor(rand() * 50) : m + i - 9;
    attempt({ ip_address: "edge", ticket_id: null, attempt_timestamp: new Date(time), reason: "invalid_qr" });
  }
  // Attempts naming no event count in no event's bursts.
  for (let i = 0; i < 12; i++)
    attempt({ event_id: null, ip_address: "ip_address-0", attempt_timestamp: within(m) });
  return recs;
}

/** Sends the records in a random order, in batches of random size (some of one), four at a time, then replays some. */
async function deliver(c: ContractContext, recs: Rec[], rand: Rand): Promise<void> {
  const order = shuffle(rand, recs);
  const chunks: RecordBatch[] = [];
  for (let i = 0; i < order.length; ) {
    const size = rand() < 0.3 ? 1 : 1 + Math.floor(rand() * 12);
    chunks.push(toBatch(order.slice(i, i + size)));
    i += size;
  }
  // Gate scanners sync scans and invalid attempts; transfers come through the API alone.
  const send = (b: RecordBatch) =>
    b.transfers.length > 0 || rand() < 0.6
      ? c.store.insert(b)
      : c.store.sync(b, report(`dev-${Math.floor(rand() * 3)}`));
  const replays = chunks.filter(() => rand() < 0.3);
  const all = [...chunks, ...shuffle(rand, replays)];
  for (let i = 0; i < all.length; i += 4) await Promise.all(all.slice(i, i + 4).map(send));
}

type Page = {
  event_id: string;
  summary: RecomputedAlerts["summary"];
  alerts: Record<string, unknown>[];
  count: number;
  next: string | null;
};

/**
 * Every page of the event's alerts (of `kind`, or all), `limit` at a time, following `next`
 * until null; each page checked to hold the summary `want` and to be full when a next follows.
 */
/** A store, and its database read apart from it. */
export interface AlertTarget {
  readonly store: Store;
  readonly raw: RawDatabase;
}

async function allPages(
  c: AlertTarget,
  th: AlertThresholds,
  e: string,
  limit: number,
  want: RecomputedAlerts["summary"],
  kind?: AlertKind,
): Promise<{ alerts: Record<string, unknown>[]; pages: number }> {
  const analytics = createAnalytics(c.store, { alerts: th });
  const alerts: Record<string, unknown>[] = [];
  let before: AlertPlace | undefined;
  for (let pages = 1; pages < 10_000; pages++) {
    const page = JSON.parse(
      JSON.stringify(await analytics.alerts({ event_id: e, kind, limit, before })),
    ) as Page;
    const why = `page ${pages} (limit ${limit}, kind ${kind ?? "any"}, thresholds ${JSON.stringify(th)})`;
    expect(page.event_id, why).toBe(e);
    expect(page.summary, why).toEqual(want);
    expect(page.count, why).toBe(page.alerts.length);
    alerts.push(...page.alerts);
    if (page.next === null) {
      expect(page.count, why).toBeLessThanOrEqual(limit);
      // Only an empty listing has an empty page.
      if (pages > 1) expect(page.count, why).toBeGreaterThan(0);
      return { alerts, pages };
    }
    expect(page.count, why).toBe(limit);
    before = cursorParam.parse(page.next);
  }
  throw new Error("the pages never end");
}

/** Every page, of every kind and of each, equals the recomputation; answers it. */
export async function expectRecomputed(c: AlertTarget, e: string, th: AlertThresholds, limit = 7) {
  const want = await recomputeAlerts(c.raw.dialect, c.raw.query, e, th);
  const why = `thresholds ${JSON.stringify(th)}`;
  expect((await allPages(c, th, e, limit, want.summary)).alerts, why).toEqual(want.alerts);
  for (const kind of KINDS) {
    const got = await allPages(c, th, e, limit, want.summary, kind);
    expect(got.alerts, `${why}, kind ${kind}`).toEqual(want.alerts.filter((a) => a.kind === kind));
    expect(got.alerts.length, `${why}, kind ${kind}`).toBe(want.summary[kind]);
  }
  return want;
}

const values = (alerts: Record<string, unknown>[], kind: AlertKind, field: string) =>
  new Set(alerts.filter((a) => a.kind === kind).map((a) => JSON.stringify(a[field])));

/** Registers the alert tests; `c` is the contract's store on a migrated database. */
export function alertSignals(c: ContractContext) {
  for (const seed of [1, 2, 3]) {
    it(`keeps every page of the alerts equal to a recomputation from the raw rows, under any order, batching, replays and concurrent writers, at thresholds at, below and above the records (seed ${seed})`, async () => {
      const e = freshEvent();
      await deliver(c, signalRecords(seed, e, Date.now()), random(seed * 31));
      // Scanned now, received milliseconds later: offline at a lag of 0 s alone.
      for (const ticket_id of ["L1", "L2"])
        await c.store.insert(
          batch({
            scans: ["s1", "s2"].map((scanner_id) =>
              scanRow({ event_id: e, ticket_id, scanner_id, scan_timestamp: new Date() }),
            ),
          }),
        );
      const want = await expectRecomputed(c, e, DEFAULTS);
      // What was checked was there: every kind and severity, both flags either way, a chain
      // longer than the users shown, bursts on every key kind.
      expect(Object.values(want.summary).every((n) => n > 0)).toBe(true);
      expect(values(want.alerts, "double_entry", "severity")).toEqual(
        new Set(['"high"', '"medium"', '"low"']),
      );
      expect(values(want.alerts, "double_entry", "offline")).toEqual(new Set(["true", "false"]));
      expect(values(want.alerts, "double_entry", "passback")).toEqual(new Set(["true", "false"]));
      expect(values(want.alerts, "transfer_chain", "severity")).toEqual(new Set(['"high"', '"medium"']));
      expect(values(want.alerts, "invalid_burst", "severity")).toEqual(new Set(['"high"', '"medium"']));
      expect(values(want.alerts, "invalid_burst", "key_kind")).toEqual(
        new Set(['"ip_address"', '"scanner_id"', '"ticket_id"']),
      );
      expect(
        want.alerts.some((a) => a.kind === "transfer_chain" && (a.chain as unknown[]).length === 20),
      ).toBe(true);
      // One page of everything, too.
      expect((await allPages(c, DEFAULTS, e, 1000, want.summary)).pages).toBe(1);
      for (const th of THRESHOLDS.slice(1)) await expectRecomputed(c, e, th);
    }, 180_000);
  }

  it("stays exact with twenty writers at once inserting single scans and transfers of the same tickets", async () => {
    const e = freshEvent();
    const rand = random(7);
    const start = Date.now() - 2 * HOUR;
    const recs: Rec[] = [];
    for (let t = 0; t < 6; t++) {
      const ticket_id = `W${t}${ODD[t]}`;
      for (let s = 0; s < 10; s++) {
        const time = s > 0 && rand() < 0.2 ? start : start + Math.floor(rand() * 2 * HOUR);
        recs.push({
          kind: "scans",
          row: scanRow({
            uuid: uuidv4(),
            event_id: e,
            ticket_id,
            scan_timestamp: new Date(time),
            is_valid: rand() < 0.85,
            location: pick(rand, GATES),
            scanner_id: pick(rand, SCANNERS),
          }),
        });
      }
      for (let i = 0; i < 11; i++) {
        recs.push({
          kind: "transfers",
          row: transferRow({
            uuid: uuidv4(),
            event_id: e,
            ticket_id,
            from_user_id: `w${t}-${i}`,
            to_user_id: `w${t}-${i + 1}`,
            // Some at the same instant (the uuid decides), some 600 s apart.
            transfer_timestamp: new Date(start + pick(rand, [0, 600_000, Math.floor(rand() * 2 * HOUR)])),
            is_successful: rand() < 0.75,
          }),
        });
      }
    }
    const order = shuffle(rand, recs);
    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        for (const r of order.filter((_, i) => i % 20 === w)) await c.store.insert(toBatch([r]));
      }),
    );
    for (const th of [DEFAULTS, THRESHOLDS[1] as AlertThresholds]) {
      const want = await expectRecomputed(c, e, th);
      expect(want.summary.double_entry).toBe(6);
      expect(want.summary.transfer_chain).toBe(6);
    }
  }, 120_000);

  it("takes a double entry's first and second scans by own time, not arrival: an older scan arriving later shifts them", async () => {
    const e = freshEvent();
    const t0 = Date.UTC(2026, 5, 1, 20, 0, 0);
    // uuids whose order the test sets by their first digit.
    const uuid = (digit: number) => `${digit}${uuidv4().slice(1)}`;
    const scan = (
      u: string,
      time: number,
      scanner_id: string | null,
      location: string | null,
      is_valid = true,
    ) =>
      scanRow({
        uuid: u,
        event_id: e,
        ticket_id: "late",
        scan_timestamp: new Date(time),
        scanner_id,
        location,
        is_valid,
      });
    const analytics = createAnalytics(c.store);
    const listing = async () =>
      JSON.parse(JSON.stringify(await analytics.alerts({ event_id: e, limit: 10 })));
    const seen = (s: ScanRow) => ({
      uuid: s.uuid,
      scanner_id: s.scanner_id,
      location: s.location,
      scan_timestamp: s.scan_timestamp.toISOString(),
      received_at: expect.any(String),
    });
    const expectDouble = async (first: ScanRow, second: ScanRow, validScans: number, more: object) => {
      const got = await listing();
      expect(got).toEqual({
        event_id: e,
        summary: { double_entry: 1, transfer_chain: 0, invalid_burst: 0 },
        alerts: [
          {
            kind: "double_entry",
            at: second.scan_timestamp.toISOString(),
            ticket_id: "late",
            valid_scans: validScans,
            first: seen(first),
            second: seen(second),
            gap_seconds: (second.scan_timestamp.getTime() - first.scan_timestamp.getTime()) / 1000,
            // Stored in 2026-06, received now: late.
            offline: true,
            ...more,
          },
        ],
        count: 1,
        next: null,
      });
      expect(got.alerts).toEqual((await recomputeAlerts(c.raw.dialect, c.raw.query, e, DEFAULTS)).alerts);
    };

    const a = scan(uuid(5), t0, "s1", "North");
    await c.store.insert(batch({ scans: [a] }));
    expect((await listing()).alerts).toEqual([]);
    const b = scan(uuid(5), t0 + 20 * MIN, "s1", "North");
    await c.store.insert(batch({ scans: [b] }));
    await expectDouble(a, b, 2, { severity: "low", passback: false });
    // 10 minutes older, at another gate and scanner: the first now, `a` the second.
    const older = scan(uuid(5), t0 - 10 * MIN, "s2", "South");
    await c.store.insert(batch({ scans: [older] }));
    await expectDouble(older, a, 3, { severity: "high", passback: true });
    // At the same instant as `older` with a smaller uuid, with another, later one, and an
    // invalid scan older than all: the smaller uuid first, `older` second, 0 s apart.
    const tie = scan(uuid(3), t0 - 10 * MIN, "s2", "South");
    const between = scan(uuid(5), t0 - 5 * MIN, "s3", null);
    const invalid = scan(uuid(1), t0 - HOUR, "s1", "North", false);
    await c.store.insert(batch({ scans: [between, invalid, tie] }));
    await expectDouble(tie, older, 5, { severity: "low", passback: false });
    // The same instant again, a larger uuid: third, nothing moves.
    await c.store.insert(batch({ scans: [scan(uuid(9), t0 - 10 * MIN, null, "West")] }));
    await expectDouble(tie, older, 6, { severity: "low", passback: false });
  });

  it("takes a batch's first two valid scans of a ticket by own time, then uuid, whatever their order in the batch", async () => {
    const e = freshEvent();
    const t0 = Date.UTC(2026, 5, 1, 21, 0, 0);
    const uuid = (digit: number) => `${digit}${uuidv4().slice(1)}`;
    const scan = (ticket_id: string, u: string, time: number, scanner_id = "s1") =>
      scanRow({
        uuid: u,
        event_id: e,
        ticket_id,
        scan_timestamp: new Date(time),
        scanner_id,
        location: "North",
      });
    // Each later scan in the batch comes between the first and the second so far; the last
    // two at one instant, the smaller uuid last.
    const a = scan("mixed", uuid(5), t0);
    const d = scan("mixed", uuid(5), t0 + 40 * SEC);
    const c7 = scan("mixed", uuid(7), t0 + 10 * SEC, "s2");
    const b6 = scan("mixed", uuid(6), t0 + 10 * SEC, "s3");
    // Two at one instant, the larger uuid first in the batch, then a later one.
    const x9 = scan("tied", uuid(9), t0);
    const y8 = scan("tied", uuid(8), t0, "s2");
    const z = scan("tied", uuid(1), t0 + 1);
    await c.store.insert(batch({ scans: [a, d, c7, b6, x9, y8, z] }));
    const got = JSON.parse(JSON.stringify(await createAnalytics(c.store).alerts({ event_id: e, limit: 10 })));
    const pair = (alert: Record<string, { uuid: string }>) => [alert.first?.uuid, alert.second?.uuid];
    expect(got.alerts.map(pair)).toEqual([
      [a.uuid, b6.uuid],
      [y8.uuid, x9.uuid],
    ]);
    expect(got.alerts).toEqual((await recomputeAlerts(c.raw.dialect, c.raw.query, e, DEFAULTS)).alerts);
  });

  it("answers an event without alerts with zero counts, no alerts and no next page, whatever the kind and limit", async () => {
    const e = freshEvent();
    const t0 = Date.UTC(2026, 5, 2, 18, 0, 30);
    await c.store.insert(
      batch({
        scans: [
          ...["a", "b", "c"].map((ticket_id) =>
            scanRow({ event_id: e, ticket_id, scan_timestamp: new Date(t0) }),
          ),
          // Twice, once invalid; and 9 invalid scans of one scanner in a minute.
          scanRow({ event_id: e, ticket_id: "a", scan_timestamp: new Date(t0 + MIN), is_valid: false }),
          ...Array.from({ length: 9 }, (_, i) =>
            scanRow({
              event_id: e,
              ticket_id: `i${i}`,
              scanner_id: "busy",
              scan_timestamp: new Date(t0 + i * SEC),
              is_valid: false,
            }),
          ),
        ],
        // Two successful transfers 600.001 s apart, and failed ones.
        transfers: [
          transferRow({ event_id: e, ticket_id: "a", transfer_timestamp: new Date(t0) }),
          transferRow({ event_id: e, ticket_id: "a", transfer_timestamp: new Date(t0 + 600_001) }),
          transferRow({
            event_id: e,
            ticket_id: "a",
            transfer_timestamp: new Date(t0 + 1),
            is_successful: false,
          }),
          transferRow({
            event_id: e,
            ticket_id: "a",
            transfer_timestamp: new Date(t0 + 2),
            is_successful: false,
          }),
        ],
        // 9 attempts of one IP address in a minute.
        invalidAttempts: Array.from({ length: 9 }, (_, i) =>
          attemptRow({ event_id: e, ticket_id: `j${i}`, attempt_timestamp: new Date(t0 + i * SEC) }),
        ),
      }),
    );
    for (const event_id of [e, "no-such-event"]) {
      expect((await recomputeAlerts(c.raw.dialect, c.raw.query, event_id, DEFAULTS)).alerts).toEqual([]);
      for (const kind of [undefined, ...KINDS])
        for (const limit of [1, 50])
          expect(await createAnalytics(c.store).alerts({ event_id, kind, limit })).toEqual({
            event_id,
            summary: { double_entry: 0, transfer_chain: 0, invalid_burst: 0 },
            alerts: [],
            count: 0,
            next: null,
          });
    }
    // Below the thresholds, not far: one less makes each an alert.
    const lower = { burstCount: 9, transferChain: 2 };
    const want = await recomputeAlerts(c.raw.dialect, c.raw.query, e, { ...DEFAULTS, ...lower });
    expect(want.summary).toEqual({ double_entry: 0, transfer_chain: 1, invalid_burst: 2 });
    await expectRecomputed(c, e, { ...DEFAULTS, ...lower }, 1);
  });

  it("pages one alert at a time with limit 1, across kinds at one instant", async () => {
    const e = freshEvent();
    const m = Date.UTC(2026, 5, 3, 21, 0, 0);
    await c.store.insert(
      batch({
        scans: [
          scanRow({ event_id: e, ticket_id: "t", scan_timestamp: new Date(m - 5 * MIN) }),
          scanRow({ event_id: e, ticket_id: "t", scan_timestamp: new Date(m) }),
          scanRow({ event_id: e, ticket_id: "u", scan_timestamp: new Date(m - 5 * MIN) }),
          scanRow({ event_id: e, ticket_id: "u", scan_timestamp: new Date(m) }),
        ],
        transfers: [0, 1, 2].map((i) =>
          transferRow({ event_id: e, ticket_id: "t", transfer_timestamp: new Date(m - (2 - i) * HOUR) }),
        ),
        invalidAttempts: Array.from({ length: 10 }, (_, i) =>
          attemptRow({
            event_id: e,
            ticket_id: null,
            ip_address: "10.0.0.1",
            attempt_timestamp: new Date(m + i),
          }),
        ),
      }),
    );
    const want = await recomputeAlerts(c.raw.dialect, c.raw.query, e, DEFAULTS);
    // Newest first; at one instant a burst, then a chain, then double entries by ticket descending.
    expect(want.alerts.map((a) => [a.kind, a.at, a.ticket_id ?? a.key])).toEqual([
      ["invalid_burst", at("2026-06-03T21:00:00Z").toISOString(), "10.0.0.1"],
      ["transfer_chain", at("2026-06-03T21:00:00Z").toISOString(), "t"],
      ["double_entry", at("2026-06-03T21:00:00Z").toISOString(), "u"],
      ["double_entry", at("2026-06-03T21:00:00Z").toISOString(), "t"],
    ]);
    const got = await allPages(c, DEFAULTS, e, 1, want.summary);
    expect(got).toEqual({ alerts: want.alerts, pages: 4 });
    await expectRecomputed(c, e, DEFAULTS, 1);
  });

  it("keeps the alerts and their summary after retention purges the records they came from", async () => {
    const e = freshEvent();
    // In 1985, older than any other test's records: the purge takes none of theirs.
    const t0 = Date.UTC(1985, 5, 1, 20, 0, 0);
    const cutoff = at("1986-01-01T00:00:00Z");
    const n = (count: number) => Array.from({ length: count }, (_, i) => i);
    await c.store.insert(
      batch({
        scans: [
          ...(["North", "South", null] as const).map((location, i) =>
            scanRow({ event_id: e, ticket_id: "d1", location, scan_timestamp: new Date(t0 + i * MIN) }),
          ),
          ...n(2).map((i) =>
            scanRow({
              event_id: e,
              ticket_id: "d2",
              scanner_id: `s${i}`,
              scan_timestamp: new Date(t0 + i * HOUR),
            }),
          ),
          ...n(12).map((i) =>
            scanRow({
              event_id: e,
              ticket_id: `x${i}`,
              scanner_id: "sx",
              is_valid: false,
              scan_timestamp: new Date(t0 + i),
            }),
          ),
        ],
        transfers: [
          ...n(7).map((i) =>
            transferRow({
              event_id: e,
              ticket_id: "c1",
              from_user_id: `a${i}`,
              to_user_id: `a${i + 1}`,
              transfer_timestamp: new Date(t0 + i * HOUR),
            }),
          ),
          ...n(2).map((i) =>
            transferRow({
              event_id: e,
              ticket_id: "c2",
              from_user_id: `b${i}`,
              to_user_id: `b${i + 1}`,
              transfer_timestamp: new Date(t0 + i * 600_000),
            }),
          ),
          transferRow({
            event_id: e,
            ticket_id: "c2",
            is_successful: false,
            transfer_timestamp: new Date(t0 + 1),
          }),
        ],
        // 31 of one IP address in a minute (a third of them of ticket d1: 11).
        invalidAttempts: n(31).map((i) =>
          attemptRow({
            event_id: e,
            ip_address: "10.9.9.9",
            ticket_id: i % 3 ? null : "d1",
            reason: i % 2 ? "invalid_qr" : "expired_ticket",
            attempt_timestamp: new Date(t0 + 30 * SEC + i),
          }),
        ),
      }),
    );
    const thresholds = [DEFAULTS, THRESHOLDS[1] as AlertThresholds, THRESHOLDS[4] as AlertThresholds];
    const before = [];
    for (const th of thresholds) before.push(await expectRecomputed(c, e, th, 2));
    expect(before[0]?.summary).toEqual({ double_entry: 2, transfer_chain: 2, invalid_burst: 3 });

    for (let n = -1, calls = 0; n !== 0; calls++) {
      expect(calls).toBeLessThan(100);
      n = await c.store.purgeBefore({ time: cutoff, received: receivedSoFar() }, 5);
    }
    expect(await c.store.listScans({ event_id: e, limit: 10 })).toEqual([]);
    expect(await c.store.listTransfers({ event_id: e, limit: 10 })).toEqual([]);
    expect(await c.store.listInvalidAttempts({ event_id: e, limit: 10 })).toEqual([]);
    // The raw rows are gone; the alerts are as they were, page by page.
    expect((await recomputeAlerts(c.raw.dialect, c.raw.query, e, DEFAULTS)).alerts).toEqual([]);
    for (const [i, th] of thresholds.entries()) {
      const was = before[i] as RecomputedAlerts;
      expect((await allPages(c, th, e, 2, was.summary)).alerts).toEqual(was.alerts);
      for (const kind of KINDS)
        expect((await allPages(c, th, e, 2, was.summary, kind)).alerts).toEqual(
          was.alerts.filter((a) => a.kind === kind),
        );
    }
  });
}
