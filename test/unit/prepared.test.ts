// onFirstUse (src/store/prepared.ts): a query is prepared once, on its first execution; one
// that cannot be prepared yet (no schema) fails as that execution's rejection, never as a
// throw, and is prepared again on the next call.
import { describe, expect, it } from "vitest";
import { onFirstUse, timeValue } from "../../src/store/prepared.js";

describe("onFirstUse", () => {
  it("prepares on the first execution, once, and answers each execution with its values", async () => {
    let built = 0;
    const query = onFirstUse(() => {
      built++;
      return { execute: async (values: { n: number }) => [values.n * 2] };
    });
    expect(built).toBe(0);
    expect(await query().execute({ n: 2 })).toEqual([4]);
    expect(await query().execute({ n: 5 })).toEqual([10]);
    expect(built).toBe(1);
  });

  it("turns a failure to prepare into the execution's rejection, and prepares again next time", async () => {
    let migrated = false;
    const query = onFirstUse(() => {
      if (!migrated) throw new Error("no such table: ticket_entries");
      return { execute: (values: { n: number }) => Promise.resolve([values.n]) };
    });
    // Started beside another query: the failure must not throw before both are started.
    const other = Promise.resolve("other");
    let execution: Promise<number[]> | undefined;
    expect(() => {
      execution = query().execute({ n: 1 });
    }).not.toThrow();
    await expect(execution).rejects.toThrow("no such table");
    await expect(other).resolves.toBe("other");
    migrated = true;
    await expect(query().execute({ n: 7 })).resolves.toEqual([7]);
  });
});

describe("timeValue", () => {
  it("gives Postgres ISO text and SQLite the epoch milliseconds it stores", () => {
    const ms = Date.UTC(2026, 11, 6, 18, 30, 0, 123);
    expect(timeValue("pg", ms)).toBe("2026-12-06T18:30:00.123Z");
    expect(timeValue("sqlite", ms)).toBe(ms);
  });
});
