// The fast path of batch uploads must answer exactly what zod answers, or stand aside:
// thousands of items, valid and broken in every way a field can be, each read both ways.
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { withFastPath } from "../../src/quick-parse.js";
import { syncInvalidAttempt, syncScan } from "../../src/records.js";

/** A small seeded PRNG (mulberry32): the same items on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const nested = (levels: number): unknown => (levels === 0 ? 1 : { n: nested(levels - 1) });

// What a field may be, right or wrong; undefined in a variant means "leave the key out".
const IDS = [
  "T-1",
  "  padded  ",
  "",
  " ",
  "x".repeat(128),
  "x".repeat(129),
  "a\u0000b",
  "\ud800",
  "é漢🎫",
  7,
  null,
  true,
  {},
  ["T"],
];
const TEXTS = [
  "Gate 4",
  "",
  "x".repeat(1024),
  "x".repeat(1025),
  " spaced ",
  "a\u0000",
  "\udfff",
  3,
  null,
  false,
];
const UUIDS = [
  "0190a0b1-c2d3-7e4f-8a5b-6c7d8e9fa0b1",
  "0190A0B1-C2D3-7E4F-8A5B-6C7D8E9FA0B1",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "0190a0b1-c2d3-9e4f-8a5b-6c7d8e9fa0b1",
  "0190a0b1-c2d3-7e4f-0a5b-6c7d8e9fa0b1",
  "0190a0b1c2d37e4f8a5b6c7d8e9fa0b1",
  " 0190a0b1-c2d3-7e4f-8a5b-6c7d8e9fa0b1",
  "",
  42,
  null,
];
const now = Date.now();
const TIMES = [
  iso(now - HOUR),
  iso(now + 23 * HOUR),
  iso(now + 25 * HOUR),
  "2024-02-29T10:30:45.123Z",
  "2023-02-29T10:30:45.123Z",
  "2024-01-15T10:30:45Z",
  "2024-01-15 10:30:45",
  "2024-01-15T10:30:45+02:00",
  "2024-01-15",
  "1969-12-31T23:59:59.999Z",
  "0099-01-01T00:00:00.000Z",
  "2024-13-01T00:00:00.000Z",
  "2024-01-15T24:00:00.000Z",
  "yesterday",
  1705314645000,
  null,
];
const METADATA = [
  { lane: 2, firmware: "1.2.3" },
  {},
  { nested: { deep: [1, 2, { x: null }] } },
  { note: "a\u0000b" },
  { note: "\udc00" },
  { blob: "x".repeat(8200) },
  nested(33),
  nested(10),
  JSON.parse('{"__proto__": {"polluted": true}}'),
  [1, 2],
  "battery=80",
  null,
  42,
];
const FLAGS = [true, false, "true", 0, null];

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

/** A field set to one of its variants (or left out), else the valid base value. */
function vary(
  rnd: () => number,
  base: Record<string, unknown>,
  variants: Record<string, readonly unknown[]>,
) {
  const item: Record<string, unknown> = { ...base };
  for (const [key, values] of Object.entries(variants)) {
    const r = rnd();
    if (r < 0.08) delete item[key];
    else if (r < 0.35) item[key] = pick(rnd, values);
  }
  if (rnd() < 0.05) item.unexpected = "field";
  return item;
}

function compare(schema: z.ZodObject, items: unknown[]) {
  const fast = withFastPath(schema);
  let valid = 0;
  for (const item of items) {
    const slow = schema.safeParse(item);
    const read = fast(item);
    expect(read.success).toBe(slow.success);
    if (slow.success) {
      valid++;
      expect(read.data).toStrictEqual(slow.data);
    } else {
      expect(read.error?.issues).toEqual(slow.error.issues);
    }
  }
  return { valid };
}

describe("the fast path of sync items", () => {
  it("reads scans exactly as zod does, valid or not", () => {
    const rnd = prng(1);
    const base = {
      uuid: UUIDS[0],
      ticket_id: "T-1",
      event_id: "E-1",
      scanner_id: "gate-1",
      scan_timestamp: iso(now - HOUR),
      is_valid: true,
      location: "Gate 4",
      device_info: "scanner v2",
      additional_metadata: { lane: 2 },
    };
    const items = Array.from({ length: 4000 }, () =>
      vary(rnd, base, {
        uuid: UUIDS,
        ticket_id: IDS,
        event_id: IDS,
        scanner_id: IDS,
        scan_timestamp: TIMES,
        is_valid: FLAGS,
        location: TEXTS,
        device_info: TEXTS,
        additional_metadata: METADATA,
      }),
    );
    const { valid } = compare(syncScan, [base, ...items, [], null, "scan", 1, new Date()]);
    // Both sides of the comparison are well represented.
    expect(valid).toBeGreaterThan(200);
    expect(valid).toBeLessThan(3500);
  });

  it("reads invalid attempts exactly as zod does, valid or not", () => {
    const rnd = prng(2);
    const base = {
      uuid: UUIDS[1],
      attempt_type: "counterfeit",
      reason: "unknown barcode",
      ticket_id: "T-1",
      event_id: "E-1",
      attempt_timestamp: iso(now - HOUR),
      ip_address: "10.0.0.7",
      user_agent: "scanner v2",
      additional_metadata: { lane: 2 },
    };
    const items = Array.from({ length: 3000 }, () =>
      vary(rnd, base, {
        uuid: UUIDS,
        attempt_type: IDS,
        reason: TEXTS,
        ticket_id: IDS,
        event_id: IDS,
        attempt_timestamp: TIMES,
        ip_address: IDS,
        user_agent: TEXTS,
        additional_metadata: METADATA,
      }),
    );
    const { valid } = compare(syncInvalidAttempt, [base, ...items]);
    expect(valid).toBeGreaterThan(200);
  });

  it("answers valid items without zod, and leaves a schema it cannot read whole to zod", () => {
    const item = {
      uuid: UUIDS[1],
      ticket_id: " T-1 ",
      event_id: "E-1",
      scan_timestamp: iso(now - HOUR),
      additional_metadata: { lane: 2 },
    };
    const spied = Object.assign(Object.create(syncScan), {
      safeParse: () => {
        throw new Error("zod was asked");
      },
    });
    // The shape and checks are syncScan's; only safeParse is replaced.
    const read = withFastPath(spied as typeof syncScan)(item);
    expect(read).toStrictEqual({
      success: true,
      data: {
        uuid: UUIDS[0],
        ticket_id: "T-1",
        event_id: "E-1",
        scan_timestamp: new Date(item.scan_timestamp),
        is_valid: true,
        additional_metadata: { lane: 2 },
      },
    });
    expect(() => withFastPath(spied as typeof syncScan)({ ...item, ticket_id: "" })).toThrow("zod was asked");

    // A field of a kind the fast path does not know: zod reads every item.
    const other = z.strictObject({
      ticket_id: syncScan.shape.ticket_id,
      seat: z.string().regex(/^[A-Z]\d+$/),
    });
    const fast = withFastPath(other);
    expect(fast({ ticket_id: "T", seat: "A1" })).toStrictEqual({
      success: true,
      data: { ticket_id: "T", seat: "A1" },
    });
    expect(fast({ ticket_id: "T", seat: "1A" }).success).toBe(false);
  });
});
