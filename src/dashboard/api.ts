// The page's one way to the API: GETs relative to the page (so it works behind a path
// prefix), the reader's token as a header (never in a URL), kept in this tab's session
// storage. Every answer is kept with its ETag and the next poll of the same URL asks with
// If-None-Match: an unchanged answer is a bodyless 304 (on Workers, from the edge cache).
// The browser's own HTTP cache is bypassed (cache: "no-store") so these are the only
// conditional requests and a 304 always finds its body here.

import { inStorage } from "./tab-storage.js";

export const TOKEN_KEY = "veritix.reader-token";
const TIMEOUT_MS = 10_000;
/** Answers kept for If-None-Match: a page open all evening asks new URLs (the curve's range moves). */
const KEPT_MAX = 64;

/**
 * The token given on this page, kept in memory as well: where the browser refuses the page
 * its storage or has no room left, it lasts the page's life and a reload asks for it again.
 * Before one is given on this page, the tab's storage has the one of before.
 */
let given: string | null = null;

export const token = {
  get: (): string | null => given ?? inStorage((s) => s.getItem(TOKEN_KEY), null),
  set: (value: string) => {
    given = value;
    inStorage((s) => s.setItem(TOKEN_KEY, value), undefined);
  },
  forget: () => {
    given = null;
    inStorage((s) => s.removeItem(TOKEN_KEY), undefined);
  },
  /** When a signed token (a JWT) expires, in epoch ms, read from its payload; null for any other. */
  expiresAt: (): number | null => expiryOf(token.get()),
};

/** The `exp` of a JWT's payload, unverified: the page only warns with it (the server decides). */
export function expiryOf(jwt: string | null): number | null {
  const payload = jwt?.split(".")[1];
  if (payload === undefined) return null;
  try {
    const exp = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/"))).exp;
    return Number.isSafeInteger(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * The server did not answer (down, unreachable, timed out), answered 5xx or 429, or
 * something else answered for it (a page that is not the API's: a Wi-Fi sign-in page, a
 * proxy's error page). Asking again later is the cure; `retryAfterMs`: not before then.
 */
export class Unreachable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}

/** 401 (no token or a refused one) or 403 (a token without the reader role). */
export class AuthNeeded extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** Any other refusal: the page asked for something the API would not answer. */
export class ApiError extends Error {}

interface Kept {
  etag: string;
  body: unknown;
}

export interface Api {
  get<T>(path: string, query?: Record<string, string | undefined>): Promise<T>;
  /** The server's clock minus this browser's (from the answers' Date header), in ms. */
  clockOffsetMs(): number;
}

export function createApi(base: string = document.baseURI): Api {
  const kept = new Map<string, Kept>();
  let offset = 0;

  async function get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const key = url.href;
    const headers = new Headers();
    const bearer = token.get();
    if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
    const last = kept.get(key);
    if (last) headers.set("If-None-Match", last.etag);

    // A timer rather than AbortSignal.timeout, which Safari lacks before 16.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(url, { headers, cache: "no-store", signal: abort.signal });
    } catch {
      throw new Unreachable(abort.signal.aborted ? "timed out" : "no answer");
    } finally {
      clearTimeout(timer);
    }
    // The server's clock, from an answer that is the API's (a sign-in page's may be off).
    const clock = () => {
      const date = Date.parse(res.headers.get("Date") ?? "");
      if (Number.isFinite(date)) offset = date - Date.now();
    };
    if (res.status === 304 && last) {
      clock();
      // Read to its (empty) end: a response left unread shows as cancelled in DevTools.
      await res.arrayBuffer().catch(() => {});
      kept.delete(key);
      kept.set(key, last);
      return last.body as T;
    }
    if (res.status >= 500 || res.status === 429) {
      await res.arrayBuffer().catch(() => {});
      const wait = Number(res.headers.get("Retry-After"));
      throw new Unreachable(
        res.status === 429 ? "it answered 429: too many requests" : `the server answered ${res.status}`,
        Number.isFinite(wait) && wait > 0 ? Math.min(wait, 300) * 1000 : 0,
      );
    }
    // Every answer of the API is JSON; anything else came from something in between.
    if (!/^application\/json\b/.test(res.headers.get("Content-Type") ?? "")) {
      await res.arrayBuffer().catch(() => {});
      throw new Unreachable(`a page that is not this server's answered ${res.status}: a network sign-in?`);
    }
    clock();
    const body: unknown = await res.json().catch(() => null);
    const message = (body as { message?: unknown } | null)?.message;
    const said = typeof message === "string" ? message : `${res.status} ${res.statusText}`;
    if (res.status === 401 || res.status === 403) throw new AuthNeeded(res.status, said);
    if (!res.ok) throw new ApiError(said);
    const etag = res.headers.get("ETag");
    if (etag) {
      kept.delete(key);
      kept.set(key, { etag, body });
      // The least recently asked goes first (a Map keeps insertion order).
      if (kept.size > KEPT_MAX) kept.delete(kept.keys().next().value as string);
    }
    return body as T;
  }

  return { get, clockOffsetMs: () => offset };
}
