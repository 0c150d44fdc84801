// The store contract, retention: purging records by their own time, in bounded chunks,
// the stats and the transfer aggregates untouched.
import { expect, it } from "vitest";
import { attemptRow, batch, scanRow, transferRow } from "../../support/records.js";
import { at, type ContractContext, freshEvent, receivedSoFar } from "./context.js";

/** Registers the retention test; `c` is the contract's store on a migrated database. */
export function purge(c: ContractContext) {
  it("purges records older than the cutoff by their own time, in bounded chunks, and keeps the stats", async () => {
    const e = freshEvent();
    // Before 2000, older than any other test's records: the purge takes none of theirs.
    const old = at("1999-06-01T12:00:00Z");
    const kept = at("2000-01-01T00:00:00Z");
    await c.store.insert(
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
    const before = await c.store.eventStats(e);
    const transfersBefore = await c.store.transferSummary(e);
    const calls: number[] = [];
    for (let n = -1; n !== 0 && calls.length < 100; ) {
      n = await c.store.purgeBefore({ time: kept, received: receivedSoFar() }, 2);
      calls.push(n);
    }
    // At most two of each of the three kinds per call; the last call found nothing left.
    expect(calls.every((n) => n <= 6)).toBe(true);
    expect(calls.at(-1)).toBe(0);
    const tickets = (rows: { ticket_id: string | null }[]) => rows.map((r) => r.ticket_id);
    expect(tickets(await c.store.listScans({ event_id: e, limit: 10 }))).toEqual(["kept"]);
    expect(tickets(await c.store.listTransfers({ event_id: e, limit: 10 }))).toEqual(["kept"]);
    expect(tickets(await c.store.listInvalidAttempts({ event_id: e, limit: 10 }))).toEqual(["kept"]);
    expect(await c.store.eventStats(e)).toEqual(before);
    // The revenue team's summary keeps the purged transfer, as the stats do.
    expect(await c.store.transferSummary(e)).toEqual(transfersBefore);
    expect(transfersBefore).toMatchObject({ successful: 2, tickets_transferred: 2 });
    expect(before).toMatchObject({ scan_count: 4, transfer_count: 2, invalid_attempt_count: 2 });
  });

  it("keeps a record old by its own time until it also arrived before the cutoff, so its uuid sent again is a duplicate", async () => {
    const e = freshEvent();
    const old = at("1999-03-01T12:00:00Z");
    const late = batch({
      scans: [scanRow({ event_id: e, ticket_id: "late", scan_timestamp: old })],
      transfers: [transferRow({ event_id: e, ticket_id: "late", transfer_timestamp: old })],
      invalidAttempts: [attemptRow({ event_id: e, ticket_id: "late", attempt_timestamp: old })],
    });
    // Uploaded now by a scanner that was offline: old by its own time, but just arrived.
    const arrivedBefore = new Date(Date.now() - 60_000);
    await c.store.insert(late);
    const before = await c.store.eventStats(e);
    for (let n = -1, calls = 0; n !== 0; calls++) {
      expect(calls).toBeLessThan(100);
      n = await c.store.purgeBefore({ time: at("2000-01-01T00:00:00Z"), received: arrivedBefore }, 50);
    }
    expect((await c.store.listScans({ event_id: e, limit: 10 })).map((s) => s.ticket_id)).toEqual(["late"]);
    // The upload retried (its answer was lost): the same uuids, each a duplicate, counted once.
    const again = await c.store.insert(late);
    expect([...again.scans, ...again.transfers, ...again.invalidAttempts].map((o) => o.duplicate)).toEqual([
      true,
      true,
      true,
    ]);
    expect(await c.store.eventStats(e)).toEqual(before);
    expect(before).toMatchObject({ scan_count: 1, transfer_count: 1, invalid_attempt_count: 1 });
    // Once it also arrived before the cutoff, it goes.
    const now = { time: at("2000-01-01T00:00:00Z"), received: receivedSoFar() };
    for (let n = -1, calls = 0; n !== 0; calls++) {
      expect(calls).toBeLessThan(100);
      n = await c.store.purgeBefore(now, 50);
    }
    expect(await c.store.listScans({ event_id: e, limit: 10 })).toEqual([]);
    expect(await c.store.listTransfers({ event_id: e, limit: 10 })).toEqual([]);
    expect(await c.store.listInvalidAttempts({ event_id: e, limit: 10 })).toEqual([]);
    expect(await c.store.eventStats(e)).toEqual(before);
  });
}
