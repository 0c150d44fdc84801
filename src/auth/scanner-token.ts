// Scanner tokens: a JWT (HS256) naming one scanner, signed with SCANNER_SIGNING_KEY, so
// the edge verifies it without a database lookup. Rotating the key revokes them all.
import { sign, verify } from "hono/jwt";
import type { Principal } from "./roles.js";

const ISSUER = "veritix-analytics";

export interface ScannerTokenOptions {
  /** Lifetime in seconds; none: valid until the key rotates. */
  ttlSeconds?: number;
  now?: Date;
}

export async function issueScannerToken(
  scannerId: string,
  key: string,
  opts: ScannerTokenOptions = {},
): Promise<string> {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, unknown> = { iss: ISSUER, sub: scannerId, role: "scanner", iat };
  if (opts.ttlSeconds) payload.exp = iat + opts.ttlSeconds;
  return sign(payload, key, "HS256");
}

/** The scanner a token speaks for, or null when it is not a valid, current scanner token. */
export async function verifyScannerToken(token: string, key: string): Promise<Principal | null> {
  try {
    const payload = await verify(token, key, { alg: "HS256", iss: ISSUER });
    if (payload.role !== "scanner" || typeof payload.sub !== "string" || !payload.sub) return null;
    return { role: "scanner", scannerId: payload.sub };
  } catch {
    return null;
  }
}
