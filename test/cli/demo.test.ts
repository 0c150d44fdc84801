// The demo loader (`npm run demo`): realistic, deterministic records, exact stats, and a
// second run that stores nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { parseDemoArgs, UsageError } from "../../src/cli/demo/args.js";
import { lastEvening } from "../../src/cli/demo/evening.js";
import { type DemoData, generateDemo } from "../../src/cli/demo/generate.js";
import { BATCH_SIZE, DEMO_BACKLOG, demoBatch, loadDemo, splitBatch } from "../../src/cli/demo/load.js";
import { PROBE_IP } from "../../src/cli/demo/probe.js";
import { demoSummary } from "../../src/cli/demo/summary.js";
import { uuid } from "../../src/records.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import type { EventStats } from "../../src/store/types.js";

const NOW = new Date("2026-03-15T12:00:00Z");
const OPTIONS = { now: NOW } as const;

const dir = mkdtempSync(join(tmpdir(), "veritix-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The stats the API must answer for the generated records (without last_updated). */
function expectedStats(data: DemoData): Omit<EventStats, "last_updated"> {
  const mine = data.invalidAttempts.filter((a) => a.event_id === data.eventId);
  return {
    event_id: data.eventId,
    scan_count: data.scans.length,
    valid_scan_count: data.scans.filter((s) => s.is_valid).length,
    invalid_scan_count: data.scans.filter((s) => !s.is_valid).length,
    transfer_count: data.transfers.length,
    successful_transfer_count: data.transfers.filter((t) => t.is_successful).length,
    failed_transfer_count: data.transfers.filter((t) => !t.is_successful).length,
    invalid_attempt_count: mine.length,
  };
}

const times = (data: DemoData) => [
  ...data.scans.map((s) => s.scan_timestamp),
  ...data.transfers.map((t) => t.transfer_timestamp),
  ...data.invalidAttempts.map((a) => a.attempt_timestamp),
];

describe("demo data", () => {
  const data = generateDemo(OPTIONS);

  it("is the same for the same options, uuids included, and differs with the seed", () => {
    expect(generateDemo(OPTIONS)).toEqual(data);
    const other = generateDemo({ ...OPTIONS, seed: 7 });
    expect(other.scans[0]?.uuid).not.toBe(data.scans[0]?.uuid);
  });

  it("gives every record a distinct valid uuid", () => {
    const all = [...data.scans, ...data.transfers, ...data.invalidAttempts].map((r) => r.uuid);
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((u) => !uuid.safeParse(u).success)).toEqual([]);
  });

  it("lies entirely in the past, on yesterday's evening when tonight's is not over", () => {
    expect(data.evening.date).toBe("2026-03-14");
    expect(lastEvening(new Date("2026-03-15T23:30:00Z")).date).toBe("2026-03-15");
    expect(times(data).filter((t) => Date.parse(t) >= NOW.getTime())).toEqual([]);
  });

  it("has an evening at the gates: a peak before the show, refusals, re-scans", () => {
    expect(data.scans).toHaveLength(6000);
    const open = data.evening.doorsOpen.getTime();
    const buckets = new Map<number, number>();
    for (const s of data.scans) {
      const b = Math.floor((Date.parse(s.scan_timestamp) - open) / (15 * 60_000));
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    const peak = [...buckets.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
    expect(peak).toBeGreaterThanOrEqual(3); // 18:45 or later
    expect(peak).toBeLessThanOrEqual(7); // 19:45 at the latest
    expect(buckets.get(0) ?? 0).toBeLessThan((buckets.get(peak) ?? 0) / 10); // a slow start

    const invalid = data.scans.filter((s) => !s.is_valid);
    expect(invalid.length / data.scans.length).toBeGreaterThanOrEqual(0.02);
    expect(invalid.length / data.scans.length).toBeLessThanOrEqual(0.03);
    const gateAttempts = data.invalidAttempts.filter((a) => a.attempt_type === "scan");
    expect(gateAttempts.map((a) => `${a.ticket_id}@${a.attempt_timestamp}`).sort()).toEqual(
      invalid.map((s) => `${s.ticket_id}@${s.scan_timestamp}`).sort(),
    );
    expect(new Set(gateAttempts.map((a) => a.reason))).toEqual(
      new Set(["expired_ticket", "invalid_qr", "already_scanned", "wrong_event"]),
    );
    const tickets = data.scans.map((s) => s.ticket_id);
    expect(new Set(tickets).size).toBeLessThan(tickets.length);
    expect(new Set(data.scans.map((s) => s.location)).size).toBeGreaterThanOrEqual(3);
  });

  it("has transfers before the event, about 5% failed, and a few unauthorized ones", () => {
    const doors = data.evening.doorsOpen.getTime();
    expect(data.transfers.length).toBeGreaterThanOrEqual(200);
    expect(data.transfers.filter((t) => Date.parse(t.transfer_timestamp) >= doors)).toEqual([]);
    const failed = data.transfers.filter((t) => !t.is_successful).length / data.transfers.length;
    expect(failed).toBeGreaterThan(0.03);
    expect(failed).toBeLessThan(0.07);
    const unauthorized = data.invalidAttempts.filter((a) => a.attempt_type === "transfer");
    expect(unauthorized.length).toBeGreaterThan(0);
    for (const a of unauthorized) expect(a.reason).toBe("unauthorized_transfer");
  });

  it("has one address guessing tickets: over ten refusals in one UTC minute, during doors", () => {
    const guesses = data.invalidAttempts.filter((a) => a.ip_address === PROBE_IP);
    const minutes = new Set(guesses.map((a) => Math.floor(Date.parse(a.attempt_timestamp) / 60_000)));
    expect(minutes.size).toBe(1);
    expect(guesses.length).toBeGreaterThan(10);
    const at = Date.parse(guesses[0]?.attempt_timestamp ?? "");
    expect(at).toBeGreaterThan(data.evening.doorsOpen.getTime());
    expect(at).toBeLessThan(data.evening.lastEntry.getTime());
    // Made-up tickets, each refused once: the burst is the address's, not a ticket's.
    expect(new Set(guesses.map((a) => a.ticket_id)).size).toBe(guesses.length);
    for (const a of guesses) expect(a.reason).toBe("ticket_not_found");
  });
});

describe("loading the demo into better-sqlite3", () => {
  const path = join(dir, "demo.db");
  const rowCounts = () => {
    const db = new Database(path, { readonly: true });
    try {
      return ["ticket_scans", "ticket_transfers", "invalid_attempts"].map(
        (t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
      );
    } finally {
      db.close();
    }
  };

  it("stores every record once, with stats equal to the records, and a rerun changes nothing", async () => {
    const store = await betterSqliteStore({ path });
    try {
      const first = await loadDemo(store, OPTIONS);
      const { data } = first;
      const total = data.scans.length + data.transfers.length + data.invalidAttempts.length;
      expect(first).toMatchObject({ stored: total, present: 0 });
      // Each scanner uploaded its own scans: its device health is there, one with a backlog.
      const scanners = new Map<string, number>();
      for (const s of data.scans)
        if (s.scanner_id) scanners.set(s.scanner_id, (scanners.get(s.scanner_id) ?? 0) + 1);
      const health = await store.deviceHealth(data.eventId);
      expect(new Map(health.map((d) => [d.scanner_id, d.total_accepted]))).toEqual(scanners);
      expect(health.filter((d) => d.pending !== 0).map((d) => [d.scanner_id, d.pending])).toEqual([
        [DEMO_BACKLOG.scanner_id, DEMO_BACKLOG.pending],
      ]);
      expect(first.stats).toMatchObject(expectedStats(data));
      expect(first.stats.last_updated).toBeInstanceOf(Date);
      expect(rowCounts()).toEqual([data.scans.length, data.transfers.length, data.invalidAttempts.length]);

      const filter = { event_id: data.eventId, limit: 10 };
      const scans = await store.listScans(filter);
      expect(scans).toHaveLength(10);
      const newest = [...data.scans].sort((a, b) => b.scan_timestamp.localeCompare(a.scan_timestamp))[0];
      expect(scans[0]?.scan_timestamp.toISOString()).toBe(newest?.scan_timestamp);
      expect(await store.listTransfers(filter)).toHaveLength(10);
      expect(await store.listInvalidAttempts(filter)).toHaveLength(10);

      const second = await loadDemo(store, OPTIONS);
      expect(second).toMatchObject({ stored: 0, present: total });
      expect(second.stats).toEqual(first.stats);
      expect(rowCounts()).toEqual([data.scans.length, data.transfers.length, data.invalidAttempts.length]);

      // A later day, same options: the same records (by uuid), still nothing new. They stay
      // on their evening, and the summary says so and points at that evening.
      const later = await loadDemo(store, { now: new Date("2026-04-01T12:00:00Z") });
      expect(later).toMatchObject({ stored: 0, present: total });
      expect(later.data.evening.date).not.toBe(data.evening.date);
      expect(later.evening).toEqual(data.evening);
      const summaryOf = (report: typeof later) =>
        demoSummary(
          report,
          { database: "sqlite", target: path },
          { baseUrl: "http://127.0.0.1:8787", needsToken: false },
        );
      const moved = summaryOf(later);
      expect(moved).toContain(`stored before, on the evening of ${data.evening.date}`);
      expect(moved).toContain(
        `&from=${data.evening.doorsOpen.toISOString()}&to=${data.evening.end.toISOString()}`,
      );
      expect(second.evening).toEqual(data.evening);

      const summary = summaryOf(second);
      expect(summary).toContain(`stored 0, already present ${total}`);
      expect(summary).not.toContain("stored before");
      expect(summary).toContain("curl 'http://127.0.0.1:8787/stats?event_id=demo-2026-arena'");
    } finally {
      await store.close();
    }
  });
});

describe("demo batches and arguments", () => {
  it("cuts the records into batches of at most 1000, in order", () => {
    const all = demoBatch(generateDemo({ ...OPTIONS, scans: 2500 }));
    const parts = splitBatch(all, BATCH_SIZE);
    for (const p of parts) {
      expect(p.scans.length + p.transfers.length + p.invalidAttempts.length).toBeLessThanOrEqual(BATCH_SIZE);
    }
    expect(parts.flatMap((p) => p.scans)).toEqual(all.scans);
    expect(parts.flatMap((p) => p.transfers)).toEqual(all.transfers);
    expect(parts.flatMap((p) => p.invalidAttempts)).toEqual(all.invalidAttempts);
  });

  it("parses options and refuses bad ones", () => {
    expect(parseDemoArgs([], NOW)).toEqual({ help: false, options: {} });
    expect(
      parseDemoArgs(["--event-id", "e1", "--scans", "100", "--seed", "3", "--date", "2026-03-01"], NOW),
    ).toEqual({ help: false, options: { eventId: "e1", scans: 100, seed: 3, date: "2026-03-01" } });
    expect(parseDemoArgs(["-h"], NOW).help).toBe(true);
    for (const bad of [
      ["--scans", "0"],
      ["--scans", "ten"],
      ["--date", "2026-02-30"],
      ["--date", "2026-03-15"], // tonight: not over yet
      ["--event-id", ""],
      ["--nope"],
      ["extra"],
    ]) {
      expect(() => parseDemoArgs(bad, NOW), bad.join(" ")).toThrow(UsageError);
    }
  });
});
