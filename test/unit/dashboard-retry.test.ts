// The dashboard's wait between rounds after failures (src/dashboard/connection.ts): the
// phones of a venue must not keep asking a server that is down every five seconds.
import { describe, expect, it } from "vitest";
import { REFRESH_MS, retryDelay } from "../../src/dashboard/connection.js";

describe("the dashboard's retry delay", () => {
  const middle = () => 0.5;

  it("waits the refresh interval twice, then doubles up to a minute", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelay(n, 0, middle))).toEqual([
      REFRESH_MS,
      REFRESH_MS,
      2 * REFRESH_MS,
      4 * REFRESH_MS,
      8 * REFRESH_MS,
      60_000,
      60_000,
      60_000,
    ]);
  });

  it("spreads the phones of a venue by ±20%", () => {
    expect(retryDelay(4, 0, () => 0)).toBe(16_000);
    expect(retryDelay(4, 0, () => 0.999999)).toBe(24_000);
  });

  it("never comes back before the server asked (Retry-After)", () => {
    expect(retryDelay(1, 30_000, middle)).toBe(30_000);
    expect(retryDelay(6, 30_000, middle)).toBe(60_000);
  });
});
