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
    return verifySignedToken(token, settings.scannerKey);
  }
  return { refused: { reason: "unknown_token" } };
}
