// D1 binds at most 100 values per statement and has no interactive transactions: batches
// of any size must still go in whole, atomically, with exact stats.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { d1Store } from "../../src/store/sqlite/d1.js";
import { attemptRow, batch, scanRow, transferRow } from "../support/records.js";
import { d1TestStore } from "./support/d1.js";

describe("D1 batches beyond 100 bound parameters", () => {
  const store = d1Store(env.DB);

  it("stores 500 scans of one batch, counts each once, and knows them all again", async () => {
    const t = await d1TestStore();
    const scans = Array.from({ length: 500 }, (_, i) =>
      scanRow({ event_id: "d1-500", ticket_id: `t${i}`, is_valid: i % 5 !== 0 }),
    );
    const out = await store.insert(batch({ scans }));
    expect(out.scans.filter((o) => !o.duplicate)).toHaveLength(500);
    expect(await t.rawCounts("d1-500")).toMatchObject({ scan_count: 500, invalid_scan_count: 100 });
    expect(await store.eventStats("d1-500")).toMatchObject({ scan_count: 500, invalid_scan_count: 100 });

    const again = await store.insert(batch({ scans }));
    expect(again.scans.every((o, i) => o.duplicate && o.id === out.scans[i]?.id)).toBe(true);
    expect((await store.eventStats("d1-500")).scan_count).toBe(500);
  });

  it("stores 1000 records of three kinds in one transaction, or none when one is bad", async () => {
    const e = "d1-mixed";
    const big = batch({
      scans: Array.from({ length: 400 }, () => scanRow({ event_id: e })),
      transfers: Array.from({ length: 300 }, () => transferRow({ event_id: e })),
      invalidAttempts: Array.from({ length: 300 }, () => attemptRow({ event_id: e })),
    });
    const bad = { ...big, invalidAttempts: [...big.invalidAttempts, attemptRow({ reason: null as never })] };
    await expect(store.insert(bad)).rejects.toThrow();
    expect(await store.eventStats(e)).toMatchObject({ scan_count: 0, transfer_count: 0, last_updated: null });

    await store.insert(big);
    expect(await store.eventStats(e)).toMatchObject({
      scan_count: 400,
      transfer_count: 300,
      invalid_attempt_count: 300,
    });
  });

  it("purges in chunks larger than 100 records", async () => {
    const e = "d1-purge";
    const old = new Date("1990-01-01T00:00:00Z");
    await store.insert(
      batch({ scans: Array.from({ length: 250 }, () => scanRow({ event_id: e, scan_timestamp: old })) }),
    );
    const cutoff = { time: new Date("1991-01-01T00:00:00Z"), received: new Date(Date.now() + 1000) };
    expect(await store.purgeBefore(cutoff, 200)).toBe(200);
    expect(await store.purgeBefore(cutoff, 200)).toBe(50);
    expect(await store.listScans({ event_id: e, limit: 10 })).toEqual([]);
    expect((await store.eventStats(e)).scan_count).toBe(250);
  });
});
