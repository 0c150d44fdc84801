import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";

describe("parseConfig", () => {
  it("refuses configuration it cannot use, naming the variable", () => {
    expect(() => parseConfig({ API_TOKENS: "superuser:abcdefghijklmnopqrstuvwxyz" })).toThrow(/API_TOKENS/);
    expect(() => parseConfig({ API_TOKENS: "scanner:abcdefghijklmnopqrstuvwxyz" })).toThrow(/API_TOKENS/);
    expect(() => parseConfig({ API_TOKENS: "reader:short" })).toThrow(/API_TOKENS/);
    expect(() => parseConfig({ SCANNER_SIGNING_KEY: "too-short" })).toThrow(/SCANNER_SIGNING_KEY/);
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
  });

  it("takes whole numbers written as such, and says every problem on one line", () => {
    // Number() would read these as 16, 1000 and 8787: a typo must not pass for a value.
    for (const [name, value] of [
      ["RETENTION_DAYS", "0x10"],
      ["RETENTION_DAYS", "1e3"],
      ["PORT", "8787.0"],
      // A billion days back is no date at all: every retention run failed on it.
      ["RETENTION_DAYS", "1000000000"],
    ]) {
      expect(() => parseConfig({ [name as string]: value }), `${name}=${value}`).toThrow(
        new RegExp(`^invalid configuration: ${name}: `),
      );
    }
    expect(parseConfig({ PORT: " 8080 ", RETENTION_DAYS: "30", STATS_CACHE_SECONDS: 0 })).toMatchObject({
      PORT: 8080,
      RETENTION_DAYS: 30,
      STATS_CACHE_SECONDS: 0,
    });
    expect(() => parseConfig({ PORT: "abc", RETENTION_DAYS: "-1" })).toThrow(
      /^invalid configuration: PORT: must be a whole number; RETENTION_DAYS: .+$/,
    );
  });

  it("reads role:token pairs, blank values as unset", () => {
    const config = parseConfig({
      API_TOKENS: " reader:abcdefghijklmnop , ingest:qrstuvwxyz012345 ",
      DATABASE_URL: " ",
    });
    expect(config.API_TOKENS).toEqual([
      { role: "reader", token: "abcdefghijklmnop" },
      { role: "ingest", token: "qrstuvwxyz012345" },
    ]);
    expect(config.DATABASE_URL).toBeUndefined();
  });
});
