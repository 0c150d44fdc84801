// Credentials for the test servers: fixed API tokens and scanner tokens from a signing key.
import { issueScannerToken } from "../../../src/auth/signed-tokens.js";

export const SIGNING_KEY = "scanner-sync-test-key-0123456789abcdef";
export const READER = "reader-token-0123456789abcdef";
export const INGEST = "ingest-token-0123456789abcdef";

/** Env for a server that knows these tokens. */
export const AUTH_ENV = { API_TOKENS: `reader:${READER},ingest:${INGEST}`, SCANNER_SIGNING_KEY: SIGNING_KEY };

export const scannerToken = (
  scannerId: string,
  key = SIGNING_KEY,
  opts: { ttlSeconds?: number; now?: Date } = {},
) => issueScannerToken(scannerId, key, opts);

/** GET /stats?event_id= with the reader token, without last_updated (a time, not a count). */
export async function eventCounts(baseUrl: string, eventId: string) {
  const res = await fetch(`${baseUrl}/stats?event_id=${encodeURIComponent(eventId)}`, {
    headers: { Authorization: `Bearer ${READER}` },
  });
  if (res.status !== 200) throw new Error(`GET /stats answered ${res.status}`);
  const { event_id, last_updated, ...counts } = (await res.json()) as Record<string, unknown>;
  return counts as Record<string, number>;
}
