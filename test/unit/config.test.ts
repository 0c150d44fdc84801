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
