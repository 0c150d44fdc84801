// Group commit (src/store/group-commit.ts): concurrent writes share commits, each caller
// gets its own outcome, and one caller's failure is its own.
import { describe, expect, it } from "vitest";
import { batchSize, groupCommit, mergedInserts } from "../../src/store/group-commit.js";
import type { BatchOutcome, RecordBatch } from "../../src/store/types.js";
import { batch, scanRow } from "../support/records.js";
import { sqliteTestStore } from "../support/stores.js";

describe("group commit", () => {
  it("commits concurrent callers together and gives each exactly its own outcomes", async () => {
    const t = await sqliteTestStore("inline");
    const groups: number[] = [];
    const insert = groupCommit<RecordBatch, BatchOutcome>({
      maxInFlight: 1,
      maxSize: 1000,
      sizeOf: batchSize,
      run: (batches) => {
        groups.push(batches.length);
        return mergedInserts(t.store.insert)(batches);
      },
    });
    const rows = Array.from({ length: 40 }, (_, i) => scanRow({ event_id: "gc", ticket_id: `t${i}` }));
    const outs = await Promise.all(rows.map((r) => insert(batch({ scans: [r] }))));
    expect(outs.map((o) => o.scans[0]?.uuid)).toEqual(rows.map((r) => r.uuid));
    expect(groups.length).toBeLessThan(rows.length);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(40);
    expect((await t.store.eventStats("gc")).scan_count).toBe(40);
    await t.cleanup();
  });

  it("keeps groups within maxSize, and sends a job bigger than that alone", async () => {
    const sizes: number[][] = [];
    const run = groupCommit<number, number>({
      maxInFlight: 1,
      maxSize: 10,
      sizeOf: (n) => n,
      run: async (jobs) => {
        sizes.push(jobs);
        return jobs.map((value) => ({ ok: true, value }));
      },
    });
    expect(await Promise.all([4, 4, 4, 25, 1].map(run))).toEqual([4, 4, 4, 25, 1]);
    expect(sizes).toEqual([[4, 4], [4], [25], [1]]);
  });

  it("does not let one caller's failing batch fail the others committed with it", async () => {
    const t = await sqliteTestStore();
    const insert = groupCommit<RecordBatch, BatchOutcome>({
      maxInFlight: 1,
      maxSize: 1000,
      sizeOf: batchSize,
      run: mergedInserts(t.store.insert),
    });
    const good = Array.from({ length: 5 }, () => scanRow({ event_id: "gc-fail" }));
    const bad = scanRow({ event_id: "gc-fail", ticket_id: null as never });
    const results = await Promise.allSettled([...good, bad].map((r) => insert(batch({ scans: [r] }))));
    expect(results.slice(0, 5).every((r) => r.status === "fulfilled")).toBe(true);
    expect(results[5]?.status).toBe("rejected");
    expect(await t.rawCounts("gc-fail")).toMatchObject({ scan_count: 5 });
    expect((await t.store.eventStats("gc-fail")).scan_count).toBe(5);
    await t.cleanup();
  });
});
