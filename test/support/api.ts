// One way to call the API, whatever answers it: the Hono app in process (app.request, the
// fast tier of test/routes), a Node server or the Worker in workerd over real HTTP (the
// contract of test/http). The shared checks (./auth-checks.ts, ./bad-input-checks.ts)
// and the contract take an Api, so each is written once and run against every target.
import { expect } from "vitest";
import { issueScannerToken } from "../../src/auth/signed-tokens.js";
import type { RawCounts } from "./test-store.js";
import { SIGNING_KEY, TOKENS } from "./tokens.js";

/** The scanner the "scanner" caller's token is bound to. */
export const SCANNER = "gate-a-01";

/** Who calls: a role's token, a scanner's, a credential that must not work, or nobody. */
export type Caller =
  | keyof typeof TOKENS
  | "scanner"
  | "none"
  /** A bearer token nobody issued. */
  | "wrong"
  /** The admin token, but in the Basic scheme. */
  | "basic"
  /** SCANNER's token, expired an hour ago. */
  | "expired-scanner"
  /** SCANNER's token signed with a key the target does not have (rotated away). */
  | "rotated-scanner"
  /** SCANNER's token with its signature altered. */
  | "forged-scanner";

export interface CallOptions {
  /** JSON-encoded unless it is a string or bytes, which are sent as they are. */
  body?: unknown;
  /** Default: admin. `{ token }` sends that bearer token. */
  as?: Caller | { token: string };
  headers?: Record<string, string>;
}

export interface Api {
  call(method: string, path: string, opts?: CallOptions): Promise<Response>;
  /** Counts computed from the record tables themselves, never from analytics_stats. */
  rawCounts(eventId: string): Promise<RawCounts>;
}

const scannerTokens = new Map<string, Promise<string>>();
const once = (key: string, make: () => Promise<string>) => {
  let token = scannerTokens.get(key);
  if (!token) {
    token = make();
    scannerTokens.set(key, token);
  }
  return token;
};

/** A token of scanner `id`, signed with the targets' key. */
export const scannerToken = (id: string) => once(`scanner:${id}`, () => issueScannerToken(id, SIGNING_KEY));

async function authorization(as: Caller | { token: string }): Promise<string | undefined> {
  if (typeof as === "object") return `Bearer ${as.token}`;
  switch (as) {
    case "none":
      return undefined;
    case "wrong":
      return "Bearer not-a-token-anybody-issued-0123";
    case "basic":
      return `Basic ${TOKENS.admin}`;
    case "scanner":
      return `Bearer ${await scannerToken(SCANNER)}`;
    case "expired-scanner":
      return `Bearer ${await once("expired", () =>
        issueScannerToken(SCANNER, SIGNING_KEY, { ttlSeconds: 60, now: new Date(Date.now() - 3600_000) }),
      )}`;
    case "rotated-scanner":
      return `Bearer ${await once("rotated", () =>
        issueScannerToken(SCANNER, "the-previous-signing-key-0123456789abcdef"),
      )}`;
    case "forged-scanner":
      return `Bearer ${(await scannerToken(SCANNER)).slice(0, -4)}AAAA`;
    default:
      return `Bearer ${TOKENS[as]}`;
  }
}

/** The fetch init of one call. */
export async function requestInit(method: string, opts: CallOptions = {}): Promise<RequestInit> {
  const headers: Record<string, string> = { ...opts.headers };
  const auth = await authorization(opts.as ?? "admin");
  if (auth) headers.Authorization = auth;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (opts.body !== undefined) {
    headers["Content-Type"] ??= "application/json";
    body =
      typeof opts.body === "string" || opts.body instanceof Uint8Array
        ? (opts.body as string | Uint8Array<ArrayBuffer>)
        : JSON.stringify(opts.body);
  }
  return { method, headers, body };
}

/**
 * Whether `err` is a kept-alive connection closed by the server (idle past its keep-alive
 * timeout) just as a request went out on it: on a loaded machine the test's event loop
 * sees the close only after it has reused the socket.
 */
const closedUnderneath = (err: unknown) => {
  const code = (err as { cause?: { code?: unknown } }).cause?.code;
  return code === "UND_ERR_SOCKET" || code === "ECONNRESET";
};

/** An Api over real HTTP at `baseUrl`. */
export function httpApi(baseUrl: string, rawCounts: Api["rawCounts"]): Api {
  return {
    async call(method, path, opts) {
      const init = await requestInit(method, opts);
      try {
        return await fetch(`${baseUrl}${path}`, init);
      } catch (err) {
        // Sent again on a new connection, as browsers do, and only a read: a write may have
        // been stored, and its test says what a retry of it must do.
        if ((method !== "GET" && method !== "HEAD") || !closedUnderneath(err)) throw err;
        // Said, so that a server resetting connections now and then shows in the output.
        console.warn(`${method} ${path}: the connection closed under it; sending it again`);
        return fetch(`${baseUrl}${path}`, init);
      }
    },
    rawCounts,
  };
}

let n = 0;
/** An id no other test uses: each test creates the data it needs under its own event. */
export const freshId = (prefix = "event") => `${prefix}_${Date.now().toString(36)}_${(n++).toString(36)}`;

/** The one error envelope: `status`, `{error, message, request_id}` with the request id of the header. */
export async function expectEnvelope(res: Response, status: number, error?: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as Record<string, unknown> & {
    issues?: { path: string; message: string }[];
  };
  expect(body).toMatchObject({ error: error ?? expect.any(String), message: expect.any(String) });
  expect(body.request_id).toBe(res.headers.get("X-Request-Id"));
  return body;
}

export const json = async <T = Record<string, unknown>>(res: Response): Promise<T> => (await res.json()) as T;
