import { describe, expect, it } from "vitest";
import { parseTimestamp } from "../../src/records.js";

const iso = (s: string) => parseTimestamp(s)?.toISOString() ?? null;

describe("parseTimestamp", () => {
  it("reads a timestamp without an offset as UTC, as the spec's examples are written", () => {
    expect(iso("2024-01-15T10:30:45.123456")).toBe("2024-01-15T10:30:45.123Z");
    expect(iso("2024-01-15 10:30")).toBe("2024-01-15T10:30:00.000Z");
    expect(iso("2024-01-15")).toBe("2024-01-15T00:00:00.000Z");
  });

  it("applies offsets", () => {
    expect(iso("2024-01-15T12:00:00+02:00")).toBe("2024-01-15T10:00:00.000Z");
    expect(iso("2024-01-15T12:00:00-0530")).toBe("2024-01-15T17:30:00.000Z");
    expect(iso("2024-01-15T12:00:00z")).toBe("2024-01-15T12:00:00.000Z");
  });

  it("refuses dates that do not exist instead of rolling them over", () => {
    for (const bad of [
      "2024-02-30",
      "2023-02-29T00:00:00Z",
      "2024-13-01",
      "2024-01-15T24:00:00Z",
      "2024-01-15T10:60Z",
    ]) {
      expect(iso(bad)).toBeNull();
    }
    expect(iso("2024-02-29")).toBe("2024-02-29T00:00:00.000Z");
  });

  it("refuses them in the canonical form too (the fast path devices use)", () => {
    for (const bad of [
      "2024-02-30T10:00:00.000Z",
      "2023-02-29T00:00:00.000Z",
      "2024-13-01T00:00:00.000Z",
      "2024-00-10T00:00:00.000Z",
      "2024-01-15T24:00:00.000Z",
      "2024-01-15T23:60:00.000Z",
      "2024-01-15T23:59:60.000Z",
    ]) {
      expect(iso(bad)).toBeNull();
    }
    expect(iso("2024-02-29T23:59:59.999Z")).toBe("2024-02-29T23:59:59.999Z");
    expect(iso("1970-01-01T00:00:00.000Z")).toBe("1970-01-01T00:00:00.000Z");
  });

  it("refuses what is not ISO 8601", () => {
    for (const bad of ["", "yesterday", "1705314645", "15/01/2024", "2024-01-15T10:30:45+25:00"]) {
      expect(iso(bad)).toBeNull();
    }
  });
});
