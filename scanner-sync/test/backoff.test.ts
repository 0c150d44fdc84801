// Retry timing and batch sizing, as pure functions.
import { describe, expect, it } from "vitest";
import { syncRequest } from "../../src/records.js";
import type { PendingItem } from "../src/index.js";
import { DEFAULT_BACKOFF, parseRetryAfter, retryDelay } from "../src/index.js";
import { jitteredDelay } from "../src/upload/backoff.js";
import { buildSyncBody } from "../src/upload/batch.js";

describe("backoff", () => {
  const policy = { ...DEFAULT_BACKOFF, baseMs: 100, capMs: 1000, maxRetryAfterMs: 5000 };

  it("waits a random time between zero and a bound that doubles with each failure, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => jitteredDelay(n, policy, () => 0.999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(jitteredDelay(3, policy, () => 0)).toBe(0);
    const seen = new Set(Array.from({ length: 200 }, () => jitteredDelay(4, policy)));
    expect(Math.max(...seen)).toBeLessThan(800);
    expect(seen.size).toBeGreaterThan(50);
  });

  it("never waits less than Retry-After, and not beyond its bound", () => {
    expect(retryDelay(1, 3000, policy, () => 0.5)).toBe(3000);
    expect(retryDelay(9, 100, policy, () => 0.999)).toBe(999);
    expect(retryDelay(1, 3_600_000, policy, () => 0)).toBe(5000);
    expect(retryDelay(2, null, policy, () => 0.5)).toBe(100);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = new Date("2026-03-01T18:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Sun, 01 Mar 2026 18:00:12 GMT", now)).toBe(12_000);
    expect(parseRetryAfter("Sun, 01 Mar 2026 17:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("sync body", () => {
  const item = (seq: number, kind: PendingItem["kind"], pad = 0): PendingItem => ({
    seq,
    uuid: `0190a000-0000-7000-8000-${String(seq).padStart(12, "0")}`,
    kind,
    json: JSON.stringify({ n: seq, pad: "x".repeat(pad) }),
    recorded_at: "2026-03-01T18:00:00.000Z",
  });
  const envelope = {
    scanner_id: "gate-a-01",
    sent_at: "2026-03-01T18:00:00.000Z",
    device: { pending: 3, oldest_pending_at: null, app_version: "0.1.0" },
  };

  it("is a valid sync request with scans and invalid attempts in their own arrays, in order", () => {
    const { body, items } = buildSyncBody(
      [item(1, "scan"), item(2, "invalid_attempt"), item(3, "scan")],
      () => envelope,
    );
    const parsed = JSON.parse(body);
    expect(syncRequest.safeParse(parsed).success).toBe(true);
    expect(parsed.scans.map((s: { n: number }) => s.n)).toEqual([1, 3]);
    expect(parsed.invalid_attempts.map((s: { n: number }) => s.n)).toEqual([2]);
    expect(items).toHaveLength(3);
  });

  it("stops before the byte limit and the item limit, and always carries at least one item", () => {
    const big = Array.from({ length: 50 }, (_, i) => item(i, "scan", 10_000));
    const { bytes, items } = buildSyncBody(big, () => envelope, 100_000);
    expect(items).toHaveLength(9);
    expect(bytes).toBeLessThanOrEqual(100_000);
    expect(buildSyncBody(big, () => envelope, 10).items).toHaveLength(1);
    const many = Array.from({ length: 1500 }, (_, i) => item(i, "scan"));
    expect(buildSyncBody(many, () => envelope).items).toHaveLength(1000);
  });
});
