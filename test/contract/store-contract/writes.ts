// The store contract, writes: new records and their ids, duplicates (stored before or
// repeated in a batch), atomic batches, exact counts under concurrent writers.
import { expect, it } from "vitest";
import { attemptRow, batch, scanRow, transferRow } from "../../support/records.js";
import { type ContractContext, freshEvent } from "./context.js";

/** Registers the write tests; `c` is the contract's store on a migrated database. */
export function writes(c: ContractContext) {
  it("stores new records, answers their ids in input order and counts them", async () => {
    const e = freshEvent();
    const scans = [
      scanRow({ event_id: e }),
      scanRow({ event_id: e, is_valid: false }),
      scanRow({ event_id: e }),
    ];
    const out = await c.store.insert(batch({ scans }));
    expect(out.scans.map((o) => o.uuid)).toEqual(scans.map((s) => s.uuid));
    expect(out.scans.every((o) => !o.duplicate && o.id > 0)).toBe(true);
    expect(new Set(out.scans.map((o) => o.id)).size).toBe(3);
    const stats = await c.expectExact(e);
    expect(stats).toMatchObject({ scan_count: 3, valid_scan_count: 2, invalid_scan_count: 1 });
  });

  it("treats a uuid stored before as a duplicate: same id, nothing counted twice", async () => {
    const e = freshEvent();
    const scan = scanRow({ event_id: e });
    const [first] = (await c.store.insert(batch({ scans: [scan] }))).scans;
    const [again] = (await c.store.insert(batch({ scans: [{ ...scan, is_valid: false }] }))).scans;
    expect(again).toEqual({ id: first?.id, uuid: scan.uuid, duplicate: true });
    expect(await c.expectExact(e)).toMatchObject({
      scan_count: 1,
      valid_scan_count: 1,
      invalid_scan_count: 0,
    });
  });

  it("treats a uuid repeated inside one batch as a duplicate of its first occurrence", async () => {
    const e = freshEvent();
    const scan = scanRow({ event_id: e });
    const out = await c.store.insert(batch({ scans: [scan, scanRow({ event_id: e }), { ...scan }] }));
    expect(out.scans[0]?.duplicate).toBe(false);
    expect(out.scans[2]).toEqual({ id: out.scans[0]?.id, uuid: scan.uuid, duplicate: true });
    expect((await c.expectExact(e)).scan_count).toBe(2);
  });

  it("counts transfers by success and invalid attempts, in one atomic batch", async () => {
    const e = freshEvent();
    const out = await c.store.insert(
      batch({
        scans: [scanRow({ event_id: e })],
        transfers: [transferRow({ event_id: e }), transferRow({ event_id: e, is_successful: false })],
        invalidAttempts: [attemptRow({ event_id: e }), attemptRow({ event_id: null, ticket_id: null })],
      }),
    );
    expect(out.transfers).toHaveLength(2);
    expect(out.invalidAttempts).toHaveLength(2);
    expect(await c.expectExact(e)).toEqual({
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
      c.store.insert(
        batch({ scans: [scanRow({ event_id: e })], transfers: [transferRow({ event_id: e }), bad] }),
      ),
    ).rejects.toThrow();
    expect(await c.expectExact(e)).toMatchObject({ scan_count: 0, transfer_count: 0 });
    expect((await c.store.eventStats(e)).last_updated).toBeNull();
  });

  it("keeps stats exact under 32 concurrent writers on one event with overlapping uuids", async () => {
    const e = freshEvent();
    const shared = Array.from({ length: 20 }, (_, i) => scanRow({ event_id: e, is_valid: i % 3 !== 0 }));
    const writers = Array.from({ length: 32 }, async (_, w) => {
      for (let round = 0; round < 5; round++) {
        const own = Array.from({ length: 4 }, (_, i) =>
          scanRow({ event_id: e, is_valid: (w + i) % 4 !== 0 }),
        );
        await c.store.insert(
          batch({
            scans: [...own, ...shared.slice(round * 4, round * 4 + 4)],
            transfers: [transferRow({ event_id: e, is_successful: w % 2 === 0 })],
            invalidAttempts: round === 0 ? [attemptRow({ event_id: e })] : [],
          }),
        );
      }
    });
    await Promise.all(writers);
    const stats = await c.expectExact(e);
    expect(stats.scan_count).toBe(32 * 5 * 4 + 20);
    expect(stats.transfer_count).toBe(32 * 5);
    expect(stats.invalid_attempt_count).toBe(32);
  });
}
