// Bearer tokens from API_TOKENS, compared in constant time (hashed first, so neither the
// content nor the length of a configured token leaks through timing).
import { timingSafeEqual } from "hono/utils/buffer";
import type { Principal, Role } from "./roles.js";
import { verifyScannerToken } from "./scanner-token.js";

export interface AuthSettings {
  tokens: { role: Role; token: string }[];
  /**
   * No auth at all for this request: only a loopback-bound Node server without tokens, or
   * local `wrangler dev` (AUTH_DISABLED, loopback requests only).
   */
  openFor(requestUrl: string): boolean;
  /** SCANNER_SIGNING_KEY: verifies scanner tokens (./scanner-token.ts). */
  scannerKey?: string | undefined;
}

export function bearerToken(header: string | undefined): string | null {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1] ?? null;
}

export async function principalFor(token: string, settings: AuthSettings): Promise<Principal | null> {
  let found: Principal | null = null;
  // Check every configured token, so the time taken does not say which one matched.
  for (const entry of settings.tokens) {
    if ((await timingSafeEqual(entry.token, token)) && !found) found = { role: entry.role };
  }
  if (!found && settings.scannerKey && token.split(".").length === 3) {
    found = await verifyScannerToken(token, settings.scannerKey);
  }
  return found;
}
