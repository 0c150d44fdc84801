// Bearer tokens from API_TOKENS, compared in constant time: as SHA-256 digests (so neither
// the content nor the length of a configured token leaks through timing), every configured
// one each time (so the time does not say which matched). The configured tokens' digests
// are computed once, the presented token's once per request: one digest per request, not
// two per configured token.
import type { Role } from "./roles.js";
import { type Verified, verifySignedToken } from "./signed-tokens.js";

export interface AuthSettings {
  tokens: { role: Role; token: string }[];
  /**
   * No auth at all for this request: only a loopback-bound Node server without tokens, or
   * local `wrangler dev` (AUTH_DISABLED, loopback requests only).
   */
  openFor(requestUrl: string): boolean;
  /** SCANNER_SIGNING_KEY: verifies signed tokens, scanners' and scoped readers' (./signed-tokens.ts). */
  scannerKey?: string | undefined;
  /**
   * SHA-256 of a token. Default: WebCrypto, which every runtime has; Node passes its own
   * synchronous one (src/node/start.ts): its WebCrypto digest goes through the thread pool
   * and cost a fifth of a busy server's time.
   */
  sha256?: (text: string) => Uint8Array | Promise<Uint8Array>;
}

export function bearerToken(header: string | undefined): string | null {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1] ?? null;
}

const utf8 = new TextEncoder();
const webSha256 = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", utf8.encode(text)));

/** Equal digests, compared in time that does not depend on where they differ. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] ?? 0);
  return diff === 0;
}

const configured = new WeakMap<AuthSettings["tokens"], Promise<{ role: Role; digest: Uint8Array }[]>>();
const digestsOf = (settings: AuthSettings, sha256: (text: string) => Uint8Array | Promise<Uint8Array>) => {
  let known = configured.get(settings.tokens);
  if (!known) {
    known = Promise.all(
      settings.tokens.map(async ({ role, token }) => ({ role, digest: await sha256(token) })),
    );
    configured.set(settings.tokens, known);
  }
  return known;
};

/**
 * Signed tokens verified before, by the token itself. Verifying one (hono/jwt: WebCrypto's
 * importKey and an HMAC, through Node's thread pool) took a sixth of a reader's GET /stats
 * (0.16 of 0.9 ms, bench/RESULTS.md "Scoped access"). A hit is the very string verified
 * with this key, signature included, so nothing unverified gets in; its expiry is checked
 * again on every use, and a revocation is checked in the database, not here. Bounded, the
 * oldest dropped first; refusals are not kept (anyone can send garbage).
 */
const MAX_VERIFIED = 1024;
type Accepted = Extract<Verified, { principal: unknown }>;
const verifiedBy = new WeakMap<AuthSettings, Map<string, Accepted>>();

async function verifySigned(
  token: string,
  settings: AuthSettings & { scannerKey: string },
): Promise<Verified> {
  let known = verifiedBy.get(settings);
  if (!known) {
    known = new Map();
    verifiedBy.set(settings, known);
  }
  const hit = known.get(token);
  if (hit) {
    if (hit.expiresAt === undefined || Date.now() < hit.expiresAt) return hit;
    known.delete(token);
    const { tokenId } = hit.principal;
    return { refused: { reason: "expired", ...(tokenId ? { tokenId } : {}) } };
  }
  const verified = await verifySignedToken(token, settings.scannerKey);
  if ("principal" in verified) {
    if (known.size >= MAX_VERIFIED) known.delete(known.keys().next().value as string);
    known.set(token, verified);
  }
  return verified;
}

/** Who a token speaks for (an API_TOKENS entry, or a signed token), or why it is refused. */
export async function principalFor(token: string, settings: AuthSettings): Promise<Verified> {
  let found: Role | null = null;
  if (settings.tokens.length > 0) {
    const sha256 = settings.sha256 ?? webSha256;
    const entries = await digestsOf(settings, sha256);
    const presented = await sha256(token);
    for (const entry of entries) {
      if (sameDigest(entry.digest, presented) && !found) found = entry.role;
    }
  }
  if (found) return { principal: { role: found } };
  if (settings.scannerKey && token.split(".").length === 3) {
    return verifySigned(token, settings as AuthSettings & { scannerKey: string });
  }
  return { refused: { reason: "unknown_token" } };
}
