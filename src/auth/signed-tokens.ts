// Signed tokens: JWTs (HS256) signed with SCANNER_SIGNING_KEY, so the edge verifies them
// without a database lookup. Two kinds: a scanner's, bound to one scanner_id (POST /sync,
// GET /admissions), and an event-scoped reader's (the reads of its events only: what an
// event's operator is handed). Each carries an id (`jti`: what a log may name, never the
// token) and, as the command issues them, an expiry. Rotating the key revokes them all.
import { sign, verify } from "hono/jwt";
import type { Principal } from "./roles.js";

const ISSUER = "veritix-analytics";

export interface SignedTokenOptions {
  /** Lifetime in seconds; none: valid until the key rotates. */
  ttlSeconds?: number;
  now?: Date;
}

async function issue(claims: Record<string, unknown>, key: string, opts: SignedTokenOptions) {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, unknown> = { iss: ISSUER, ...claims, jti: crypto.randomUUID(), iat };
  if (opts.ttlSeconds) payload.exp = iat + opts.ttlSeconds;
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

/** Who a token speaks for, or null when it is not a valid, current signed token. */
export async function verifySignedToken(token: string, key: string): Promise<Principal | null> {
  try {
    const payload = await verify(token, key, { alg: "HS256", iss: ISSUER });
    const tokenId = typeof payload.jti === "string" ? { tokenId: payload.jti } : {};
    if (payload.role === "scanner" && typeof payload.sub === "string" && payload.sub) {
      return { role: "scanner", scannerId: payload.sub, ...tokenId };
    }
    if (payload.role === "reader" && isEventList(payload.events)) {
      return { role: "reader", events: payload.events, ...tokenId };
    }
    return null;
  } catch {
    return null;
  }
}
