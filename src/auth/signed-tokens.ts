// Signed tokens: JWTs (HS256) signed with SCANNER_SIGNING_KEY, so the edge verifies them
// without a database lookup. Two kinds: a scanner's, bound to one scanner_id (POST /sync,
// GET /admissions), and an event-scoped reader's (the reads of its events only: what an
// event's operator is handed). Each carries an id (`jti`: what a log may name, never the
// token) and, as the command issues them, an expiry. Rotating the key revokes them all;
// one scanner's tokens issued before a moment are revoked in the database (a revocation,
// checked by the statement that stores its sync: ../store/revocations.ts).
import { sign, verify } from "hono/jwt";
import type { Principal } from "./roles.js";

const ISSUER = "veritix-analytics";

/**
 * How far ahead of this clock a token's issue time may be: the machine that issued it
 * (an admin's laptop running the token command) may run a little fast.
 */
const ISSUED_AHEAD_LEEWAY_S = 60;

export interface SignedTokenOptions {
  /** Lifetime in seconds; none: valid until the key rotates. */
  ttlSeconds?: number;
  now?: Date;
}

async function issue(claims: Record<string, unknown>, key: string, opts: SignedTokenOptions) {
  const ms = (opts.now ?? new Date()).getTime();
  // `iat` to the millisecond (RFC 7519 allows a fractional NumericDate): a revocation
  // refuses the scanner's tokens issued before it, and a token issued in the same second
  // after it must still work.
  const iat = ms / 1000;
  const payload: Record<string, unknown> = { iss: ISSUER, ...claims, jti: crypto.randomUUID(), iat };
  if (opts.ttlSeconds) payload.exp = Math.floor(iat) + opts.ttlSeconds;
  return sign(payload, key, "HS256");
}

export function issueScannerToken(scannerId: string, key: string, opts: SignedTokenOptions = {}) {
  return issue({ sub: scannerId, role: "scanner" }, key, opts);
}

/** A reader token for these events only (at least one). */
export function issueReaderToken(events: readonly string[], key: string, opts: SignedTokenOptions = {}) {
  if (events.length === 0) throw new Error("a scoped reader token needs at least one event");
  return issue({ sub: "reader", role: "reader", events: [...new Set(events)].sort() }, key, opts);
}

const isEventList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === "string" && e.length > 0);

/**
 * A signed token refused: why, and its id (what the log may name): `tokenId` when its
 * signature holds, else only the id it claims (`claimedTokenId`): anyone can write a
 * payload naming a real device's token id, and the log must not blame that device.
 */
export interface Refusal {
  reason: "expired" | "not_yet_valid" | "bad_signature" | "malformed" | "unknown_kind" | "unknown_token";
  tokenId?: string;
  claimedTokenId?: string;
}

/** A token accepted (until `expiresAt`, epoch ms, when it has an expiry), or refused. */
export type Verified = { principal: Principal; expiresAt?: number } | { refused: Refusal };

/** The payload as it claims to be, before its signature is checked: only to name it in a log. */
function claimedId(token: string): string | undefined {
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const jti = (JSON.parse(json) as { jti?: unknown }).jti;
    return typeof jti === "string" && jti.length <= 64 ? jti : undefined;
  } catch {
    return undefined;
  }
}

const REASONS: Record<string, Refusal["reason"]> = {
  JwtTokenExpired: "expired",
  JwtTokenNotBefore: "not_yet_valid",
  JwtTokenSignatureMismatched: "bad_signature",
};

/** Who a token speaks for, or why it is refused (not a valid, current signed token). */
export async function verifySignedToken(token: string, key: string): Promise<Verified> {
  let payload: Awaited<ReturnType<typeof verify>>;
  try {
    // iat is checked here, to the millisecond and with a leeway, not by hono (whole seconds, none).
    payload = await verify(token, key, { alg: "HS256", iss: ISSUER, iat: false });
  } catch (err) {
    let reason = REASONS[(err as Error).name] ?? "malformed";
    const claimed = claimedId(token);
    if (!claimed) return { refused: { reason } };
    // hono checks the times before the signature: an expired or early token is ours
    // only if its signature holds without them.
    if (reason === "expired" || reason === "not_yet_valid") {
      const signed = await verify(token, key, {
        alg: "HS256",
        iss: ISSUER,
        iat: false,
        exp: false,
        nbf: false,
      })
        .then(() => true)
        .catch(() => false);
      if (signed) return { refused: { reason, tokenId: claimed } };
      reason = "bad_signature";
    }
    return { refused: { reason, claimedTokenId: claimed } };
  }
  const tokenId = typeof payload.jti === "string" ? { tokenId: payload.jti } : {};
  const iat = payload.iat;
  if (iat !== undefined && (typeof iat !== "number" || iat > Date.now() / 1000 + ISSUED_AHEAD_LEEWAY_S)) {
    return { refused: { reason: "not_yet_valid", ...tokenId } };
  }
  // Without an issue time, a token counts as issued at the epoch: any revocation covers it.
  const issuedAt = { issuedAt: new Date(typeof iat === "number" ? Math.round(iat * 1000) : 0) };
  const expiresAt = typeof payload.exp === "number" ? { expiresAt: payload.exp * 1000 } : {};
  if (payload.role === "scanner" && typeof payload.sub === "string" && payload.sub) {
    return { principal: { role: "scanner", scannerId: payload.sub, ...tokenId, ...issuedAt }, ...expiresAt };
  }
  if (payload.role === "reader" && isEventList(payload.events)) {
    return { principal: { role: "reader", events: payload.events, ...tokenId, ...issuedAt }, ...expiresAt };
  }
  return { refused: { reason: "unknown_kind", ...tokenId } };
}
