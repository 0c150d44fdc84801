// The bench runs the server as users run it: API_TOKENS set and every request carrying
// its token (the reader's for GETs, ingest's for POSTs, a scanner token for drains), at
// the default LOG_LEVEL. BENCH_OPEN=1 runs it open and quiet (no tokens, LOG_LEVEL=warn),
// as the bench did before 2026-12: to compare with old code or old results.
import { issueReaderToken, issueScannerToken } from "../../src/auth/signed-tokens.js";

export const OPEN = process.env.BENCH_OPEN === "1";

const TOKENS = {
  admin: "bench-admin-token-0123456789abcdef",
  ingest: "bench-ingest-token-0123456789abcdef",
  reader: "bench-reader-token-0123456789abcdef",
} as const;
const SIGNING_KEY = "bench-scanner-signing-key-0123456789abcdef";

/** The env of a server under bench: tokens and signing key, and the log level users get. */
export const serverAuthEnv = (): Record<string, string> =>
  OPEN
    ? { API_TOKENS: "", SCANNER_SIGNING_KEY: "", LOG_LEVEL: "warn" }
    : {
        API_TOKENS: Object.entries(TOKENS)
          .map(([role, token]) => `${role}:${token}`)
          .join(","),
        SCANNER_SIGNING_KEY: SIGNING_KEY,
        LOG_LEVEL: "info",
      };

/** The Authorization header of a request: the reader's token for reads, ingest's for writes. */
export function authHeaders(method = "GET"): Record<string, string> {
  if (OPEN) return {};
  return { Authorization: `Bearer ${method === "GET" ? TOKENS.reader : TOKENS.ingest}` };
}

/** fetch with the request's token. */
export function authFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = { ...authHeaders(init.method), ...(init.headers as Record<string, string>) };
  return fetch(url, { ...init, headers });
}

/** A gate device's token for POST /sync (undefined when the server runs open). */
export const scannerToken = (scannerId: string): Promise<string | undefined> =>
  OPEN ? Promise.resolve(undefined) : issueScannerToken(scannerId, SIGNING_KEY, { ttlSeconds: 86_400 });

/** An event-scoped reader's token for these events (the token an operator is handed). */
export const readerToken = (events: string[]): Promise<string> =>
  issueReaderToken(events, SIGNING_KEY, { ttlSeconds: 86_400 });

/** A bearer token of the API_TOKENS entries, by role (the admin's for POST /admin/revocations). */
export const apiToken = (role: keyof typeof TOKENS): string => TOKENS[role];
