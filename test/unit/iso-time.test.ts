// isoTime writes what toISOString writes, for any time a Date can hold.
import { describe, expect, it } from "vitest";
import { isoTime, isoTimeOfMs, isoTimeOrNull } from "../../src/iso-time.js";
import { random } from "../support/entry-flow-records.js";

const MAX_DATE_MS = 8.64e15;

describe("isoTime", () => {
  it("is toISOString's text for every time, inside and outside the years it speeds up", () => {
    const next = random(15);
    for (let i = 0; i < 20_000; i++) {
      // Half over every time a Date holds, half over the years it speeds up.
      const ms = Math.round(i % 2 ? (next() * 2 - 1) * MAX_DATE_MS : next() * 253_402_300_799_999);
      const d = new Date(ms);
      expect(isoTime(d)).toBe(d.toISOString());
      expect(isoTimeOfMs(ms)).toBe(d.toISOString());
    }
  });

  it("of epoch ms, is a Date's text for a time in ms that is not whole, too", () => {
    // The database's times are whole ms; a fraction must still not index past a table.
    for (const ms of [0.5, 1.25, 59_999.9, 1_733_443_200_123.7]) {
      expect(isoTimeOfMs(ms)).toBe(new Date(ms).toISOString());
    }
    expect(() => isoTimeOfMs(Number.NaN)).toThrow(RangeError);
  });

  it("is right at the edges: the epoch, minute and second bounds, year 9999 and 10000, and many minutes", () => {
    const edges = [
      0,
      1,
      59_999,
      60_000,
      999,
      1000,
      253_402_300_799_999,
      253_402_300_800_000,
      -1,
      Date.UTC(2026, 11, 6),
    ];
    for (const ms of edges) {
      expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
      expect(isoTimeOfMs(ms)).toBe(new Date(ms).toISOString());
    }
    // More minutes than it keeps: each still right after its text was dropped.
    for (let i = 0; i < 10_000; i++) {
      const d = new Date(Date.UTC(2026, 0, 1) + i * 61_001);
      expect(isoTime(d)).toBe(d.toISOString());
    }
    expect(isoTimeOrNull(null)).toBeNull();
  });
});
