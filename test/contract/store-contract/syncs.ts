// The store contract, a scanner's sync: records stored as insert stores them, and the
// device's health recorded from what the batch stored.
import { expect, it } from "vitest";
import type { ScanRow } from "../../../src/store/types.js";
import { attemptRow, batch, scanRow } from "../../support/records.js";
import { at, type ContractContext, freshEvent } from "./context.js";

/** Registers the sync tests; `c` is the contract's store on a migrated database. */
export function syncs(c: ContractContext) {
  it("stores a scanner's sync and records its health from what it stored: repeats and old uuids are duplicates", async () => {
    const e1 = freshEvent();
    const e2 = freshEvent();
    const scanner = `gate-${e1}`;
    const old = scanRow({ event_id: e1 });
    await c.store.insert(batch({ scans: [old] }));
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
    const out = await c.store.sync(sync, report);
    expect(out).toEqual({
      scans: { stored: 2, duplicates: 2 },
      transfers: { stored: 0, duplicates: 0 },
      invalidAttempts: { stored: 1, duplicates: 0 },
    });
    expect(await c.expectExact(e1)).toMatchObject({ scan_count: 2 });
    expect(await c.expectExact(e2)).toMatchObject({ scan_count: 1 });
    const [device] = await c.store.deviceHealth(e1);
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
    expect((await c.store.deviceHealth(e2)).map((d) => d.scanner_id)).toEqual([scanner]);

    // The same sync again: all duplicates, nothing counted, the running total unchanged.
    const later = { ...report, received_at: at("2026-05-01T10:01:00.000Z"), pending: 0 };
    const again = await c.store.sync(sync, later);
    expect(again).toEqual({
      scans: { stored: 0, duplicates: 4 },
      transfers: { stored: 0, duplicates: 0 },
      invalidAttempts: { stored: 0, duplicates: 1 },
    });
    expect(await c.expectExact(e1)).toMatchObject({ scan_count: 2 });
    expect((await c.store.deviceHealth()).find((d) => d.scanner_id === scanner)).toMatchObject({
      last_sync_at: later.received_at,
      last_accepted: 0,
      last_duplicates: 5,
      total_accepted: 3,
      pending: 0,
    });
  });

  it("keeps the health of the batch the device sent last, whatever order they commit in, and follows a clock set back", async () => {
    const e = freshEvent();
    const scanner = `gate-${e}`;
    const report = (sent: string, received: string, pending: number) => ({
      scanner_id: scanner,
      sent_at: at(sent),
      received_at: at(received),
      items: 1,
      rejected: 0,
      pending,
      oldest_pending_at: pending ? at("2026-05-01T09:00:00.000Z") : null,
      app_version: "3.0.0",
    });
    const health = async () => (await c.store.deviceHealth(e))[0];
    // Four batches in flight, each with the backlog left after it: the last one sent
    // (nothing left) commits first, the others after it, the first-sent last of all.
    const batches = [
      report("2026-05-01T10:00:00.300Z", "2026-05-01T10:00:00.900Z", 0),
      report("2026-05-01T10:00:00.200Z", "2026-05-01T10:00:00.950Z", 5),
      report("2026-05-01T10:00:00.100Z", "2026-05-01T10:00:01.000Z", 205),
      report("2026-05-01T10:00:00.000Z", "2026-05-01T10:00:01.100Z", 605),
    ];
    for (const r of batches) await c.store.sync(batch({ scans: [scanRow({ event_id: e })] }), r);
    expect(await health()).toMatchObject({
      last_sent_at: at("2026-05-01T10:00:00.300Z"),
      // Heard from last at the last commit.
      last_sync_at: at("2026-05-01T10:00:01.100Z"),
      pending: 0,
      oldest_pending_at: null,
      // What it got accepted counts whatever the order.
      total_accepted: 4,
    });
    // Two batches stamped in the same millisecond (the uploader fills its slots at once):
    // the one with less left behind it was sent after, whichever commits last.
    await c.store.sync(
      batch({ scans: [scanRow({ event_id: e })] }),
      report("2026-05-01T10:00:02.000Z", "2026-05-01T10:00:02.500Z", 0),
    );
    await c.store.sync(
      batch({ scans: [scanRow({ event_id: e })] }),
      report("2026-05-01T10:00:02.000Z", "2026-05-01T10:00:02.600Z", 50),
    );
    expect(await health()).toMatchObject({ pending: 0, total_accepted: 6 });
    // Its clock set back an hour: its next batch is the latest, though "sent" earlier.
    await c.store.sync(
      batch({ scans: [scanRow({ event_id: e })] }),
      report("2026-05-01T09:00:05.000Z", "2026-05-01T10:00:05.000Z", 3),
    );
    expect(await health()).toMatchObject({
      last_sent_at: at("2026-05-01T09:00:05.000Z"),
      last_sync_at: at("2026-05-01T10:00:05.000Z"),
      clock_offset_ms: 3_600_000,
      pending: 3,
      total_accepted: 7,
    });
  });

  it("counts a sync of one kind the same way (Postgres stores it and the device in one statement)", async () => {
    const e1 = freshEvent();
    const e2 = freshEvent();
    const scanner = `gate-${e1}`;
    const old = scanRow({ event_id: e2 });
    await c.store.insert(batch({ scans: [old] }));
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
    const out = await c.store.sync(batch({ scans: [...fresh, { ...(fresh[0] as ScanRow) }, old] }), report);
    expect(out.scans).toEqual({ stored: 2, duplicates: 2 });
    expect(await c.expectExact(e1)).toMatchObject({ scan_count: 2, valid_scan_count: 1 });
    expect(await c.expectExact(e2)).toMatchObject({ scan_count: 1 });
    const [device] = await c.store.deviceHealth(e1);
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
    expect((await c.store.deviceHealth(e2)).map((d) => d.scanner_id)).toEqual([scanner]);

    // A later sync of only duplicates adds nothing to the running total.
    await c.store.sync(batch({ scans: fresh }), { ...report, received_at: at("2026-05-02T08:05:00.000Z") });
    expect((await c.store.deviceHealth(e1))[0]).toMatchObject({
      last_accepted: 0,
      last_duplicates: 2,
      total_accepted: 2,
    });
  });

  it("orders events and scanners' ties by their ids bytewise, whatever the database's collation", async () => {
    // Bytewise, uppercase sorts before lowercase and an accent after both; an en-US
    // collation (the Postgres of the tests) would put them the other way round.
    const base = freshEvent();
    const events = [`${base}-b`, `${base}-Z`, `${base}-a`, `${base}-\u00e9`];
    const scanners = events.map((e) => `gate-${e}`);
    const received_at = at("2026-05-03T08:00:00.000Z");
    for (const [i, e] of events.entries())
      await c.store.sync(batch({ scans: [scanRow({ event_id: e })] }), {
        scanner_id: scanners[i] as string,
        received_at,
        sent_at: received_at,
        items: 1,
        rejected: 0,
        pending: null,
        oldest_pending_at: null,
        app_version: null,
      });
    const bytewise = [...events].sort(); // JS sorts these (all below U+D800) bytewise
    expect(bytewise).toEqual([`${base}-Z`, `${base}-a`, `${base}-b`, `${base}-\u00e9`]);
    const listed = (await c.store.allStats()).map((s) => s.event_id).filter((e) => e.startsWith(base));
    expect(listed).toEqual(bytewise);
    const sameTime = (await c.store.deviceHealth(events)).map((d) => d.scanner_id);
    expect(sameTime).toEqual(bytewise.map((e) => `gate-${e}`));
    const all = (await c.store.deviceHealth()).map((d) => d.scanner_id).filter((s) => scanners.includes(s));
    expect(all).toEqual(bytewise.map((e) => `gate-${e}`));
  });
}

/** A scanner the database refuses device health for while `refuseDevice` is in force. */
const FAULTY = "gate-faulty";

/** Triggers that make the database refuse FAULTY's device row, and what takes them off. */
const deviceFault = (dialect: "sqlite" | "pg") =>
  dialect === "pg"
    ? {
        on: [
          "CREATE FUNCTION refuse_device() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'device row refused by the test'; END $$",
          `CREATE TRIGGER refuse_device BEFORE INSERT OR UPDATE ON scanner_devices FOR EACH ROW WHEN (NEW.scanner_id = '${FAULTY}') EXECUTE FUNCTION refuse_device()`,
        ],
        off: ["DROP TRIGGER refuse_device ON scanner_devices", "DROP FUNCTION refuse_device"],
      }
    : {
        on: ["INSERT", "UPDATE"].map(
          (op) =>
            `CREATE TRIGGER refuse_device_${op} BEFORE ${op} ON scanner_devices WHEN NEW.scanner_id = '${FAULTY}' ` +
            "BEGIN SELECT RAISE(ABORT, 'device row refused by the test'); END",
        ),
        off: ["DROP TRIGGER refuse_device_INSERT", "DROP TRIGGER refuse_device_UPDATE"],
      };

/**
 * A sync stores its records and its device's health together or not at all: were the
 * records to commit without the health, the device's retry would find them all duplicates
 * and its total of accepted records would never count them. The fault is real: the
 * database refuses the device's row, as a dropped connection or a crash between the two
 * writes would leave it unwritten.
 */
export function syncAtomicity(c: ContractContext) {
  let accepted = 0;
  it.each([
    ["scans and invalid attempts", true],
    ["scans alone", false],
  ])(
    "a sync whose device health cannot be written stores nothing; its retry counts every record once (%s)",
    async (_, withAttempts) => {
      const e = freshEvent();
      const sync = batch({
        scans: Array.from({ length: 5 }, (_, i) =>
          scanRow({ event_id: e, ticket_id: `t-${i}`, scanner_id: FAULTY, location: "North" }),
        ),
        invalidAttempts: withAttempts ? [attemptRow({ event_id: e }), attemptRow({ event_id: e })] : [],
      });
      const items = sync.scans.length + sync.invalidAttempts.length;
      const report = () => ({
        scanner_id: FAULTY,
        received_at: new Date(),
        sent_at: new Date(),
        items,
        rejected: 0,
        pending: 0,
        oldest_pending_at: null,
        app_version: null,
      });
      const fault = deviceFault(c.raw.dialect);
      for (const s of fault.on) await c.exec(s);
      try {
        await expect(c.store.sync(sync, report())).rejects.toThrow();
      } finally {
        for (const s of fault.off) await c.exec(s);
      }
      expect(await c.rawCounts(e)).toMatchObject({ scan_count: 0, invalid_attempt_count: 0 });
      expect((await c.store.attendance(e)).admitted_count).toBe(0);
      expect(await c.store.deviceHealth(e)).toEqual([]);

      const again = await c.store.sync(sync, report());
      expect(again.scans).toEqual({ stored: 5, duplicates: 0 });
      expect(again.invalidAttempts).toEqual({ stored: sync.invalidAttempts.length, duplicates: 0 });
      expect(await c.expectExact(e)).toMatchObject({
        scan_count: 5,
        invalid_attempt_count: sync.invalidAttempts.length,
      });
      expect((await c.store.attendance(e)).admitted_count).toBe(5);
      // The scanner's row spans this file's syncs of it: its total counts each stored record once.
      accepted += items;
      expect(await c.store.deviceHealth(e)).toMatchObject([
        { scanner_id: FAULTY, last_accepted: items, last_duplicates: 0, total_accepted: accepted },
      ]);
    },
  );

  it("records a sync naming many events (an ingest token's back-fill) under each of them", async () => {
    const events = Array.from({ length: 60 }, () => freshEvent());
    const scanner = `gate-${events[0]}`;
    const old = scanRow({ event_id: events[1] as string });
    await c.store.insert(batch({ scans: [old] }));
    const scans = [old, ...events.map((event_id) => scanRow({ event_id, ticket_id: `t-${event_id}` }))];
    const out = await c.store.sync(batch({ scans }), {
      scanner_id: scanner,
      received_at: new Date(),
      sent_at: new Date(),
      items: scans.length,
      rejected: 0,
      pending: 0,
      oldest_pending_at: null,
      app_version: null,
    });
    expect(out.scans).toEqual({ stored: 60, duplicates: 1 });
    for (const e of [events[0], events[1], events[59]] as string[]) {
      expect(await c.store.deviceHealth(e)).toMatchObject([
        { scanner_id: scanner, last_accepted: 60, last_duplicates: 1, total_accepted: 60 },
      ]);
    }
  });
}
