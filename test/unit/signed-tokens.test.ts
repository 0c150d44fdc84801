// Signed tokens as the server reads them (src/auth/tokens.ts, src/auth/signed-tokens.ts):
// their issue time to the millisecond, why one is refused (what the log names), and the
// cache of tokens verified before, which must never let in what was not verified, nor a
// token past its expiry.
import { describe, expect, it } from "vitest";
import { issueReaderToken, issueScannerToken } from "../../src/auth/signed-tokens.js";
import { type AuthSettings, principalFor } from "../../src/auth/tokens.js";

const KEY = "unit-test-signing-key-0123456789abcdef";
const settings = (): AuthSettings => ({ tokens: [], openFor: () => false, scannerKey: KEY });

describe("signed tokens", () => {
  it("carry their issue time to the millisecond, and the principal has it", async () => {
    const now = new Date("2026-11-01T10:00:00.123Z");
    const token = await issueScannerToken("gate-1", KEY, { now, ttlSeconds: 10 ** 9 });
    const v = await principalFor(token, settings());
    expect(v).toMatchObject({ principal: { role: "scanner", scannerId: "gate-1", issuedAt: now } });
  });

  it("refuse a token issued more than a minute ahead of this clock, and say why", async () => {
    const ahead = await issueReaderToken(["e"], KEY, { now: new Date(Date.now() + 5 * 60_000) });
    expect(await principalFor(ahead, settings())).toMatchObject({ refused: { reason: "not_yet_valid" } });
    const slightly = await issueReaderToken(["e"], KEY, { now: new Date(Date.now() + 20_000) });
    expect(await principalFor(slightly, settings())).toMatchObject({ principal: { role: "reader" } });
  });

  it("name a refused token by its id once its signature holds (expired), else by the id it claims (bad signature); unknown API tokens by nothing", async () => {
    const expired = await issueScannerToken("gate-1", KEY, {
      ttlSeconds: 60,
      now: new Date(Date.now() - 3_600_000),
    });
    const forged = await issueScannerToken("gate-1", "another-key-of-32-characters-or-more!");
    const idOf = (t: string) =>
      JSON.parse(Buffer.from(t.split(".")[1] as string, "base64url").toString()).jti;
    expect(await principalFor(expired, settings())).toEqual({
      refused: { reason: "expired", tokenId: idOf(expired) },
    });
    expect(await principalFor(forged, settings())).toEqual({
      refused: { reason: "bad_signature", claimedTokenId: idOf(forged) },
    });
    // Forged and expired: refused for its signature, not its time.
    const forgedExpired = await issueScannerToken("gate-1", "another-key-of-32-characters-or-more!", {
      ttlSeconds: 60,
      now: new Date(Date.now() - 3_600_000),
    });
    expect(await principalFor(forgedExpired, settings())).toEqual({
      refused: { reason: "bad_signature", claimedTokenId: idOf(forgedExpired) },
    });
    expect(await principalFor("not-a-token-at-all-0123", settings())).toEqual({
      refused: { reason: "unknown_token" },
    });
  });

  it("are verified once and then known by the very string, until they expire", async () => {
    const s = settings();
    // Two seconds: exp counts from the whole second of issue, so a one-second token issued
    // late in its second could expire before the first check (a flake under load).
    const token = await issueScannerToken("gate-1", KEY, { ttlSeconds: 2 });
    const first = await principalFor(token, s);
    expect(first).toMatchObject({ principal: { scannerId: "gate-1" } });
    // The same answer again (from the cache), the same principal object.
    const again = await principalFor(token, s);
    expect(again).toMatchObject({ principal: { scannerId: "gate-1" } });
    expect((again as { principal: object }).principal).toBe((first as { principal: object }).principal);
    // A string differing in its signature is not that token: verified, and refused.
    const tampered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    expect(await principalFor(tampered, s)).toMatchObject({ refused: { reason: "bad_signature" } });
    // Another key's settings do not share what this key verified.
    const other = { ...s, scannerKey: "another-key-of-32-characters-or-more!" };
    expect(await principalFor(token, other)).toMatchObject({ refused: { reason: "bad_signature" } });
    // Past its expiry (one to two seconds after issue), refused though it was known.
    const exp = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()).exp as number;
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 20));
    expect(await principalFor(token, s)).toMatchObject({ refused: { reason: "expired" } });
  });
});
