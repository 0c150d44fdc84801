// One contract for every store driver: the same behaviour on better-sqlite3 (writer
// thread and inline), node-postgres, D1 and Neon. test/contract/store.test.ts runs it on
// the Node drivers, test/workers/store-contract.test.ts on D1 and Neon inside workerd.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../../src/store/errors.js";
import type { ScanRow, Store } from "../../src/store/types.js";
import { attemptRow, batch, scanRow, transferRow, ZERO_COUNTS } from "../support/records.js";
import type { TestStore } from "../support/test-store.js";

let n = 0;
const freshEvent = () => `event_${Date.now()}_${n++}`;
const at = (iso: string) => new Date(iso);

export interface ContractDriver {
  name: string;
  /** A store on a migrated database of its own, and the raw counts behind its stats. */
  open(): Promise<TestStore>;
  /** A store on a database without the schema (migrations never applied). */
  openUnmigrated(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

/** Registers the contract's tests for `driver` in the calling describe block. */
export function storeContract(driver: ContractDriver) {
  notMigrated(driver);
  describe("on a migrated database", () => {
    let t: TestStore;
    let store: Store;
    beforeAll(async () => {
      t = await driver.open();
      store = t.store;
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    const expectExact = async (eventId: string) => {
      const { event_id, last_updated, ...counted } = await store.eventStats(eventId);
      expect(event_id).toBe(eventId);
      expect(counted).toEqual(await t.rawCounts(eventId));
      return counted;
    };

    it("stores new records, answers their ids in input order and counts them", async () => {
      const e = freshEvent();
      const scans = [
        scanRow({ event_id: e }),
        scanRow({ event_id: e, is_valid: false }),
        scanRow({ event_id: e }),
      ];
      const out = await store.insert(batch({ scans }));
      expect(out.scans.map((o) => o.uuid)).toEqual(scans.map((s) => s.uuid));
      expect(out.scans.every((o) => !o.duplicate && o.id > 0)).toBe(true);
      expect(new Set(out.scans.map((o) => o.id)).size).toBe(3);
      const stats = await expectExact(e);
      expect(stats).toMatchObject({ scan_count: 3, valid_scan_count: 2, invalid_scan_count: 1 });
    });

    it("treats a uuid stored before as a duplicate: same id, nothing counted twice", async () => {
      const e = freshEvent();
      const scan = scanRow({ event_id: e });
      const [first] = (await store.insert(batch({ scans: [scan] }))).scans;
      const [again] = (await store.insert(batch({ scans: [{ ...scan, is_valid: false }] }))).scans;
      expect(again).toEqual({ id: first?.id, uuid: scan.uuid, duplicate: true });
      expect(await expectExact(e)).toMatchObject({
        scan_count: 1,
        valid_scan_count: 1,
        invalid_scan_count: 0,
      });
    });

    it("treats a uuid repeated inside one batch as a duplicate of its first occurrence", async () => {
      const e = freshEvent();
      const scan = scanRow({ event_id: e });
      const out = await store.insert(batch({ scans: [scan, scanRow({ event_id: e }), { ...scan }] }));
      expect(out.scans[0]?.duplicate).toBe(false);
      expect(out.scans[2]).toEqual({ id: out.scans[0]?.id, uuid: scan.uuid, duplicate: true });
      expect((await expectExact(e)).scan_count).toBe(2);
    });

    it("counts transfers by success and invalid attempts, in one atomic batch", async () => {
      const e = freshEvent();
      const out = await store.insert(
        batch({
          scans: [scanRow({ event_id: e })],
          transfers: [transferRow({ event_id: e }), transferRow({ event_id: e, is_successful: false })],
          invalidAttempts: [attemptRow({ event_id: e }), attemptRow({ event_id: null, ticket_id: null })],
        }),
      );
      expect(out.transfers).toHaveLength(2);
      expect(out.invalidAttempts).toHaveLength(2);
      expect(await expectExact(e)).toEqual({
        scan_count: 1,
        transfer_count: 2,
        invalid_attempt_count: 1,
        valid_scan_count: 1,
        invalid_scan_count: 0,
        successful_transfer_count: 1,
        failed_transfer_count: 1,
      });
    });

    it("stores nothing and counts nothing when any part of a batch fails", async () => {
      const e = freshEvent();
      const bad = transferRow({ event_id: e, from_user_id: null as never });
      await expect(
        store.insert(
          batch({ scans: [scanRow({ event_id: e })], transfers: [transferRow({ event_id: e }), bad] }),
        ),
      ).rejects.toThrow();
      expect(await expectExact(e)).toMatchObject({ scan_count: 0, transfer_count: 0 });
      expect((await store.eventStats(e)).last_updated).toBeNull();
    });

    it("answers an event without records with zero counts and last_updated null", async () => {
      expect(await store.eventStats("no-such-event")).toEqual({
        event_id: "no-such-event",
        ...ZERO_COUNTS,
        last_updated: null,
      });
    });

    it("sums an event's stats over the days its records happened on", async () => {
      const e = freshEvent();
      const before = Date.now();
      await store.insert(
        batch({
          scans: [
            scanRow({ event_id: e, scan_timestamp: at("2024-01-15T23:59:59.999Z") }),
            scanRow({ event_id: e, scan_timestamp: at("2024-01-16T00:00:00.000Z") }),
            scanRow({ event_id: e, scan_timestamp: at("2024-03-01T12:00:00Z"), is_valid: false }),
          ],
        }),
      );
      const stats = await store.eventStats(e);
      expect(stats).toMatchObject({ scan_count: 3, valid_scan_count: 2, invalid_scan_count: 1 });
      expect(stats.last_updated).toBeInstanceOf(Date);
      expect(stats.last_updated?.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const all = await store.allStats();
      expect(all.find((s) => s.event_id === e)).toEqual(stats);
    });

    it("lists an event's records newest first by their own time, ties by id, with limit and cursor", async () => {
      const e = freshEvent();
      const times = [
        "2024-01-15T10:00:00Z",
        "2024-01-15T12:00:00Z",
        "2024-01-15T11:00:00Z",
        "2024-01-15T12:00:00Z",
      ];
      const scans = times.map((iso, i) =>
        scanRow({ event_id: e, ticket_id: `t${i}`, scan_timestamp: at(iso) }),
      );
      await store.insert(batch({ scans }));
      await store.insert(batch({ scans: [scanRow({ event_id: freshEvent() })] }));
      const all = await store.listScans({ event_id: e, limit: 50 });
      expect(all.map((s) => s.ticket_id)).toEqual(["t3", "t1", "t2", "t0"]);
      const page1 = await store.listScans({ event_id: e, limit: 2 });
      expect(page1.map((s) => s.ticket_id)).toEqual(["t3", "t1"]);
      const page2 = await store.listScans({ event_id: e, limit: 2, before_id: page1[1]?.id });
      expect(page2.map((s) => s.ticket_id)).toEqual(["t2", "t0"]);
      const window = await store.listScans({
        event_id: e,
        limit: 50,
        from: at("2024-01-15T11:00:00Z"),
        to: at("2024-01-15T12:00:00Z"),
      });
      expect(window.map((s) => s.ticket_id)).toEqual(["t2"]);
    });

    it("returns stored records whole: every field, metadata, nulls and millisecond times", async () => {
      const e = freshEvent();
      const scan = scanRow({ event_id: e, scan_timestamp: at("2024-01-15T10:30:45.123Z") });
      const bare = scanRow({
        event_id: e,
        scanner_id: null,
        location: null,
        device_info: null,
        additional_metadata: null,
      });
      bare.scan_timestamp = at("2024-01-15T09:00:00Z");
      const transfer = transferRow({ event_id: e, additional_metadata: { nested: { a: [1, "x", null] } } });
      const attempt = attemptRow({ event_id: e });
      await store.insert(batch({ scans: [scan, bare], transfers: [transfer], invalidAttempts: [attempt] }));
      const [gotScan, gotBare] = await store.listScans({ event_id: e, limit: 10 });
      expect(gotScan).toMatchObject(scan);
      expect(gotScan?.received_at).toBeInstanceOf(Date);
      expect(gotBare).toMatchObject(bare);
      expect((await store.listTransfers({ event_id: e, limit: 10 }))[0]).toMatchObject(transfer);
      expect((await store.listInvalidAttempts({ event_id: e, limit: 10 }))[0]).toMatchObject(attempt);
    });

    it("keeps stats exact under 32 concurrent writers on one event with overlapping uuids", async () => {
      const e = freshEvent();
      const shared = Array.from({ length: 20 }, (_, i) => scanRow({ event_id: e, is_valid: i % 3 !== 0 }));
      const writers = Array.from({ length: 32 }, async (_, w) => {
        for (let round = 0; round < 5; round++) {
          const own = Array.from({ length: 4 }, (_, i) =>
            scanRow({ event_id: e, is_valid: (w + i) % 4 !== 0 }),
          );
          await store.insert(
            batch({
              scans: [...own, ...shared.slice(round * 4, round * 4 + 4)],
              transfers: [transferRow({ event_id: e, is_successful: w % 2 === 0 })],
              invalidAttempts: round === 0 ? [attemptRow({ event_id: e })] : [],
            }),
          );
        }
      });
      await Promise.all(writers);
      const stats = await expectExact(e);
      expect(stats.scan_count).toBe(32 * 5 * 4 + 20);
      expect(stats.transfer_count).toBe(32 * 5);
      expect(stats.invalid_attempt_count).toBe(32);
    });

    it("purges records older than the cutoff by their own time, in bounded chunks, and keeps the stats", async () => {
      const e = freshEvent();
      // Before 2000, older than any other test's records: the purge takes none of theirs.
      const old = at("1999-06-01T12:00:00Z");
      const kept = at("2000-01-01T00:00:00Z");
      await store.insert(
        batch({
          scans: [
            scanRow({ event_id: e, ticket_id: "old1", scan_timestamp: old }),
            scanRow({ event_id: e, ticket_id: "old2", scan_timestamp: at("1999-12-31T23:59:59.999Z") }),
            scanRow({ event_id: e, ticket_id: "old3", scan_timestamp: old, is_valid: false }),
            scanRow({ event_id: e, ticket_id: "kept", scan_timestamp: kept }),
          ],
          transfers: [
            transferRow({ event_id: e, ticket_id: "old", transfer_timestamp: old }),
            transferRow({ event_id: e, ticket_id: "kept", transfer_timestamp: kept }),
          ],
          invalidAttempts: [
            attemptRow({ event_id: e, ticket_id: "old", attempt_timestamp: old }),
            attemptRow({ event_id: e, ticket_id: "kept", attempt_timestamp: kept }),
          ],
        }),
      );
      const before = await store.eventStats(e);
      const calls: number[] = [];
      for (let n = -1; n !== 0 && calls.length < 100; ) {
        n = await store.purgeBefore(kept, 2);
        calls.push(n);
      }
      // At most two of each of the three kinds per call; the last call found nothing left.
      expect(calls.every((n) => n <= 6)).toBe(true);
      expect(calls.at(-1)).toBe(0);
      const tickets = (rows: { ticket_id: string | null }[]) => rows.map((r) => r.ticket_id);
      expect(tickets(await store.listScans({ event_id: e, limit: 10 }))).toEqual(["kept"]);
      expect(tickets(await store.listTransfers({ event_id: e, limit: 10 }))).toEqual(["kept"]);
      expect(tickets(await store.listInvalidAttempts({ event_id: e, limit: 10 }))).toEqual(["kept"]);
      expect(await store.eventStats(e)).toEqual(before);
      expect(before).toMatchObject({ scan_count: 4, transfer_count: 2, invalid_attempt_count: 2 });
    });

    it("stores a scanner's sync and records its health from what it stored: repeats and old uuids are duplicates", async () => {
      const e1 = freshEvent();
      const e2 = freshEvent();
      const scanner = `gate-${e1}`;
      const old = scanRow({ event_id: e1 });
      await store.insert(batch({ scans: [old] }));
      const fresh = scanRow({ event_id: e1 });
      const sync = batch({
        // New, repeated in the batch, stored before, and an event whose only record is old news.
        scans: [fresh, { ...fresh }, old, scanRow({ event_id: e2 })],
        invalidAttempts: [attemptRow({ event_id: null })],
      });
      const report = {
        scanner_id: scanner,
        received_at: at("2026-05-01T10:00:05.000Z"),
        sent_at: at("2026-05-01T10:00:00.000Z"),
        items: 6,
        rejected: 1,
        pending: 12,
        oldest_pending_at: at("2026-05-01T09:00:00.000Z"),
        app_version: "3.0.0",
      };
      const out = await store.sync(sync, report);
      expect(out).toEqual({
        scans: { stored: 2, duplicates: 2 },
        transfers: { stored: 0, duplicates: 0 },
        invalidAttempts: { stored: 1, duplicates: 0 },
      });
      expect(await expectExact(e1)).toMatchObject({ scan_count: 2 });
      expect(await expectExact(e2)).toMatchObject({ scan_count: 1 });
      const [device] = await store.deviceHealth(e1);
      expect(device).toMatchObject({
        scanner_id: scanner,
        last_sync_at: report.received_at,
        last_sent_at: report.sent_at,
        clock_offset_ms: 5000,
        last_items: 6,
        last_accepted: 3,
        last_duplicates: 2,
        last_rejected: 1,
        total_accepted: 3,
        pending: 12,
        oldest_pending_at: report.oldest_pending_at,
        app_version: "3.0.0",
      });
      expect((await store.deviceHealth(e2)).map((d) => d.scanner_id)).toEqual([scanner]);

      // The same sync again: all duplicates, nothing counted, the running total unchanged.
      const later = { ...report, received_at: at("2026-05-01T10:01:00.000Z"), pending: 0 };
      const again = await store.sync(sync, later);
      expect(again).toEqual({
        scans: { stored: 0, duplicates: 4 },
        transfers: { stored: 0, duplicates: 0 },
        invalidAttempts: { stored: 0, duplicates: 1 },
      });
      expect(await expectExact(e1)).toMatchObject({ scan_count: 2 });
      expect((await store.deviceHealth()).find((d) => d.scanner_id === scanner)).toMatchObject({
        last_sync_at: later.received_at,
        last_accepted: 0,
        last_duplicates: 5,
        total_accepted: 3,
        pending: 0,
      });
    });

    it("counts a sync of one kind the same way (Postgres stores it and the device in one statement)", async () => {
      const e1 = freshEvent();
      const e2 = freshEvent();
      const scanner = `gate-${e1}`;
      const old = scanRow({ event_id: e2 });
      await store.insert(batch({ scans: [old] }));
      const fresh = [scanRow({ event_id: e1 }), scanRow({ event_id: e1, is_valid: false })];
      const report = {
        scanner_id: scanner,
        received_at: at("2026-05-02T08:00:00.000Z"),
        sent_at: at("2026-05-02T07:59:58.500Z"),
        items: 5,
        rejected: 1,
        pending: null,
        oldest_pending_at: null,
        app_version: null,
      };
      const out = await store.sync(batch({ scans: [...fresh, { ...(fresh[0] as ScanRow) }, old] }), report);
      expect(out.scans).toEqual({ stored: 2, duplicates: 2 });
      expect(await expectExact(e1)).toMatchObject({ scan_count: 2, valid_scan_count: 1 });
      expect(await expectExact(e2)).toMatchObject({ scan_count: 1 });
      const [device] = await store.deviceHealth(e1);
      expect(device).toMatchObject({
        scanner_id: scanner,
        clock_offset_ms: 1500,
        last_items: 5,
        last_accepted: 2,
        last_duplicates: 2,
        last_rejected: 1,
        total_accepted: 2,
        pending: null,
      });
      // The event whose only record was old news still lists the scanner.
      expect((await store.deviceHealth(e2)).map((d) => d.scanner_id)).toEqual([scanner]);

      // A later sync of only duplicates adds nothing to the running total.
      await store.sync(batch({ scans: fresh }), { ...report, received_at: at("2026-05-02T08:05:00.000Z") });
      expect((await store.deviceHealth(e1))[0]).toMatchObject({
        last_accepted: 0,
        last_duplicates: 2,
        total_accepted: 2,
      });
    });

    it("answers ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

function notMigrated(driver: ContractDriver) {
  describe("on a database without the schema", () => {
    let u: Awaited<ReturnType<ContractDriver["openUnmigrated"]>>;
    beforeAll(async () => {
      u = await driver.openUnmigrated();
    });
    afterAll(async () => {
      await u?.cleanup();
    });

    it("rejects ping, reads and writes with StoreError not_migrated, whose message says what to run", async () => {
      const report = {
        scanner_id: "gate-1",
        received_at: new Date(),
        sent_at: new Date(),
        items: 1,
        rejected: 0,
        pending: null,
        oldest_pending_at: null,
        app_version: null,
      };
      const calls: [string, () => Promise<unknown>][] = [
        ["ping", () => u.store.ping()],
        ["eventStats", () => u.store.eventStats("e")],
        ["allStats", () => u.store.allStats()],
        ["listScans", () => u.store.listScans({ event_id: "e", limit: 10 })],
        ["insert", () => u.store.insert(batch({ scans: [scanRow()] }))],
        ["sync", () => u.store.sync(batch({ scans: [scanRow()] }), report)],
        ["deviceHealth", () => u.store.deviceHealth()],
      ];
      for (const [name, call] of calls) {
        const err = await call().then(
          () => new Error(`${name} resolved`),
          (e: unknown) => e,
        );
        expect({ name, error: err }).toEqual({ name, error: expect.any(StoreError) });
        expect({ name, failure: (err as StoreError).failure }).toEqual({ name, failure: "not_migrated" });
        expect((err as StoreError).message).toMatch(/no schema: .*migrat/);
      }
    });
  });
}
