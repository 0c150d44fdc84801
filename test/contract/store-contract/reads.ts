// The store contract, reads: stats of an event (zeros, summed over days, all events),
// listings (order, cursor, time window), records returned whole, ping.
import { expect, it } from "vitest";
import { attemptRow, batch, scanRow, transferRow, ZERO_COUNTS } from "../../support/records.js";
import { at, type ContractContext, freshEvent } from "./context.js";

/** Registers the read tests; `c` is the contract's store on a migrated database. */
export function reads(c: ContractContext) {
  it("answers an event without records with zero counts and last_updated null", async () => {
    expect(await c.store.eventStats("no-such-event")).toEqual({
      event_id: "no-such-event",
      ...ZERO_COUNTS,
      last_updated: null,
    });
  });

  it("sums an event's stats over the days its records happened on", async () => {
    const e = freshEvent();
    const before = Date.now();
    await c.store.insert(
      batch({
        scans: [
          scanRow({ event_id: e, scan_timestamp: at("2024-01-15T23:59:59.999Z") }),
          scanRow({ event_id: e, scan_timestamp: at("2024-01-16T00:00:00.000Z") }),
          scanRow({ event_id: e, scan_timestamp: at("2024-03-01T12:00:00Z"), is_valid: false }),
        ],
      }),
    );
    const stats = await c.store.eventStats(e);
    expect(stats).toMatchObject({ scan_count: 3, valid_scan_count: 2, invalid_scan_count: 1 });
    expect(stats.last_updated).toBeInstanceOf(Date);
    expect(stats.last_updated?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const all = await c.store.allStats();
    expect(all.find((s) => s.event_id === e)).toEqual(stats);
  });

  it("reads the stats of a list of events (a scoped reader's), of those alone, in parts of 90", async () => {
    // 200 events asked for (three parts), 150 of them with records, and one more with
    // records that is not asked for.
    const base = freshEvent();
    const asked = Array.from({ length: 200 }, (_, i) => `${base}_${String(i).padStart(3, "0")}`);
    const withRecords = asked.filter((_, i) => i % 4 !== 3);
    await c.store.insert(
      batch({
        scans: [...withRecords, `${base}_other`].map((event_id, i) =>
          scanRow({ event_id, is_valid: i % 2 === 0 }),
        ),
      }),
    );
    const listed = await c.store.allStats(asked);
    expect(listed.map((s) => s.event_id)).toEqual(withRecords);
    const every = new Map((await c.store.allStats()).map((s) => [s.event_id, s]));
    for (const s of listed) expect(s).toEqual(every.get(s.event_id));
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
    await c.store.insert(batch({ scans }));
    await c.store.insert(batch({ scans: [scanRow({ event_id: freshEvent() })] }));
    const all = await c.store.listScans({ event_id: e, limit: 50 });
    expect(all.map((s) => s.ticket_id)).toEqual(["t3", "t1", "t2", "t0"]);
    const page1 = await c.store.listScans({ event_id: e, limit: 2 });
    expect(page1.map((s) => s.ticket_id)).toEqual(["t3", "t1"]);
    const page2 = await c.store.listScans({ event_id: e, limit: 2, before_id: page1[1]?.id });
    expect(page2.map((s) => s.ticket_id)).toEqual(["t2", "t0"]);
    const window = await c.store.listScans({
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
    await c.store.insert(batch({ scans: [scan, bare], transfers: [transfer], invalidAttempts: [attempt] }));
    const [gotScan, gotBare] = await c.store.listScans({ event_id: e, limit: 10 });
    expect(gotScan).toMatchObject(scan);
    expect(gotScan?.received_at).toBeInstanceOf(Date);
    expect(gotBare).toMatchObject(bare);
    expect((await c.store.listTransfers({ event_id: e, limit: 10 }))[0]).toMatchObject(transfer);
    expect((await c.store.listInvalidAttempts({ event_id: e, limit: 10 }))[0]).toMatchObject(attempt);
  });

  it("answers ping", async () => {
    await expect(c.store.ping()).resolves.toBeUndefined();
  });
}
