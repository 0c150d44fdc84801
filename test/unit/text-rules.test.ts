import { describe, expect, it } from "vitest";
import { idString, LIMITS, metadata, textString } from "../../src/records.js";

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? [] : (r.error?.issues.map((i) => i.message) ?? []);

describe("text fields", () => {
  it("trims identifiers and refuses empty, too long, NUL and lone surrogates, each with its message", () => {
    expect(idString.parse("  gate-1 ")).toBe("gate-1");
    expect(messages(idString.safeParse("   "))).toEqual(["must not be empty"]);
    expect(messages(idString.safeParse("x".repeat(LIMITS.id + 1)))).toEqual([
      `must be at most ${LIMITS.id} characters`,
    ]);
    expect(idString.safeParse("x".repeat(LIMITS.id)).success).toBe(true);
    expect(messages(idString.safeParse("a\u0000b"))).toEqual(["must not contain NUL characters"]);
    expect(messages(idString.safeParse("a\ud800b"))).toEqual(["must be valid Unicode (no lone surrogates)"]);
    expect(idString.safeParse("emoji \ud83c\udf9f").success).toBe(true);
    // Characters as JSON Schema counts them (code points): 128 emoji are 256 UTF-16 units.
    const ticket = "\ud83c\udf9f";
    expect(idString.safeParse(ticket.repeat(LIMITS.id)).success).toBe(true);
    expect(messages(idString.safeParse(ticket.repeat(LIMITS.id + 1)))).toEqual([
      `must be at most ${LIMITS.id} characters`,
    ]);
    expect(messages(idString.safeParse(`${ticket.repeat(LIMITS.id)}x`))).toEqual([
      `must be at most ${LIMITS.id} characters`,
    ]);
    // Every rule that fails is reported, not only the first.
    expect(messages(idString.safeParse(`\u0000\udc00${"x".repeat(LIMITS.id)}`))).toEqual([
      `must be at most ${LIMITS.id} characters`,
      "must not contain NUL characters",
      "must be valid Unicode (no lone surrogates)",
    ]);
  });

  it("lets free text be empty, up to its own limit", () => {
    expect(textString.safeParse("").success).toBe(true);
    expect(textString.safeParse("x".repeat(LIMITS.text)).success).toBe(true);
    expect(messages(textString.safeParse("x".repeat(LIMITS.text + 1)))).toEqual([
      `must be at most ${LIMITS.text} characters`,
    ]);
    expect(messages(textString.safeParse("\ud800"))).toEqual(["must be valid Unicode (no lone surrogates)"]);
  });

  it("measures metadata in UTF-8 bytes and levels only when it could be too big or too deep", () => {
    const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
    expect(metadata.safeParse(deep(LIMITS.metadataDepth) as Record<string, unknown>).success).toBe(true);
    expect(messages(metadata.safeParse(deep(LIMITS.metadataDepth + 1) as Record<string, unknown>))).toEqual([
      `must not nest deeper than ${LIMITS.metadataDepth} levels`,
    ]);
    // 3 bytes per character in UTF-8: under the limit in characters, over it in bytes.
    const wide = { note: "€".repeat(Math.ceil(LIMITS.metadataBytes / 3)) };
    expect(messages(metadata.safeParse(wide))).toEqual([
      `must be at most ${LIMITS.metadataBytes} bytes of JSON`,
    ]);
    expect(metadata.safeParse({ note: "€".repeat(100) }).success).toBe(true);
  });
});
