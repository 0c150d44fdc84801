import { describe, expect, it } from "vitest";
import { withGroupCommit } from "../../src/store/group-commit.js";
import type { RecordBatch, Store } from "../../src/store/types.js";
import { batch, scanRow } from "../support/records.js";
import { sqliteTestStore } from "../support/stores.js";

describe("group commit", () => {
  it("commits concurrent callers together and gives each exactly its own outcomes", async () => {
    const t = await sqliteTestStore();
    const calls: number[] = [];
    const counting: Store = {
      ...t.store,
      insert: (b: RecordBatch) => {
        calls.push(b.scans.length);
        return t.store.insert(b);
      },
    };
    const store = withGroupCommit(counting, { maxInFlight: 1 });
    const rows = Array.from({ length: 40 }, (_, i) => scanRow({ event_id: "gc", ticket_id: `t${i}` }));
    const outs = await Promise.all(rows.map((r) => store.insert(batch({ scans: [r] }))));
    expect(outs.map((o) => o.scans[0]?.uuid)).toEqual(rows.map((r) => r.uuid));
    expect(calls.length).toBeLessThan(rows.length);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(40);
    expect((await t.store.eventStats("gc")).scan_count).toBe(40);
    await t.cleanup();
  });

  it("does not let one caller's failing batch fail the others committed with it", async () => {
    const t = await sqliteTestStore();
    const store = withGroupCommit(t.store, { maxInFlight: 1 });
    const good = Array.from({ length: 5 }, () => scanRow({ event_id: "gc-fail" }));
    const bad = scanRow({ event_id: "gc-fail", ticket_id: null as never });
    const results = await Promise.allSettled([...good, bad].map((r) => store.insert(batch({ scans: [r] }))));
    expect(results.slice(0, 5).every((r) => r.status === "fulfilled")).toBe(true);
    expect(results[5]?.status).toBe("rejected");
    expect(await t.rawCounts("gc-fail")).toMatchObject({ scan_count: 5 });
    expect((await t.store.eventStats("gc-fail")).scan_count).toBe(5);
    await t.cleanup();
  });
});
