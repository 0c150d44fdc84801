// Read cache for GET /stats* on Workers: each data centre keeps an answer for `ttlSeconds`
// in the Cache API, keyed by URL, so a dashboard polling from everywhere costs the
// database one query per URL, data centre and TTL. The price: a write reaches readers
// within the TTL, not at once. Answers carry an ETag; a matching If-None-Match gets 304.
// On Node there is no cache, only the ETags: a poll of an unchanged answer still queries
// the database, but sends nothing back but the 304, and requests for one URL that arrive
// together share one run of the route (`coalesce`, exact: see there).
// Mounted after auth: a cached answer only reaches callers the route would have answered
// anyway.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";
import { plainAnswer } from "./request-id.js";

export interface EdgeCacheOptions {
  /** How long an answer may be served from the cache; 0 turns the cache off (ETags stay). */
  ttlSeconds: number;
  /** The cache to use, e.g. `() => caches.default` on Workers; none on Node (ETags only). */
  cache?: () => Cache | Promise<Cache>;
  /**
   * SHA-256 of an answer, for its ETag. Default: WebCrypto, which every runtime has; Node
   * passes its own synchronous one (src/node/start.ts): its WebCrypto digest goes through
   * the thread pool, and made a fifth of a GET /stats's CPU (bench/PROFILE.md). It takes
   * the route's JSON text as it is (Node's hashes its UTF-8 without a copy in JS: a
   * 27 KB page of alerts took 25 µs encoded first, 19 µs so), or a cached copy's bytes.
   */
  sha256?: (body: string | Uint8Array<ArrayBuffer>) => Uint8Array | Promise<Uint8Array>;
  /**
   * Where there is no cache (Node): requests for one URL (and scope) that arrive before its
   * route has started share that one run, its query, JSON and ETag. The run starts when
   * `coalesce` calls back (Node passes `setImmediate`: once the requests the event loop
   * has just read are in). Exact, unlike a cache: a request only joins a run that starts
   * after it arrived, never one under way, so its answer holds every write acknowledged
   * before it was sent. Dashboards polling one event under load then cost the database a
   * query per turn of the event loop, not one per request.
   */
  coalesce?: (start: () => void) => void;
}

const STORED_AT = "X-Veritix-Stored-At";
const utf8 = new TextEncoder();

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const hex = (digest: ArrayBuffer | Uint8Array, bytes = 32) => {
  let out = "";
  for (const b of new Uint8Array(digest).subarray(0, bytes)) out += HEX[b];
  return out;
};

const webSha256 = async (body: string | Uint8Array<ArrayBuffer>) =>
  new Uint8Array(
    await crypto.subtle.digest(
      "SHA-256",
      typeof body === "string" ? (utf8.encode(body) as Uint8Array<ArrayBuffer>) : body,
    ),
  );

/** If-None-Match as RFC 9110 compares it for GET: weakly, any of a list, or "*". */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

/**
 * What an answer is kept under: the URL, and nothing of the caller (no Authorization, no
 * cookies): every caller allowed past auth gets the same answer for the same URL, so
 * sharing it leaks nothing. Except an event-scoped reader, whose GET /stats answers its
 * events only: its answers are kept under its scope as well (a digest of its events), so
 * one scope's answer never reaches another.
 */
async function keyUrl(c: Context<AppEnv>): Promise<string> {
  const events = c.get("principal")?.events;
  if (!events) return c.req.url;
  const scope = new TextEncoder().encode([...events].sort().join("\n"));
  const url = new URL(c.req.url);
  url.searchParams.set("veritix-scope", hex(await crypto.subtle.digest("SHA-256", scope)));
  return url.href;
}

/**
 * What requests share a run under (`coalesce`): the URL, and an event-scoped reader's
 * events as well, as keyUrl keeps cached answers apart; in memory, so no digest (on Node
 * WebCrypto's goes through the thread pool). A URL holds no space, so none can pass for
 * another's scope.
 */
function shareKey(c: Context<AppEnv>): string {
  const events = c.get("principal")?.events;
  return events ? `${c.req.url} ${JSON.stringify([...events].sort())}` : c.req.url;
}

export function edgeCache(opts: EdgeCacheOptions): MiddlewareHandler<AppEnv> {
  const ttlMs = opts.ttlSeconds * 1000;
  const sha256 = opts.sha256 ?? webSha256;
  const etagOf = async (body: Body) =>
    `"${hex(await sha256(typeof body === "string" ? body : new Uint8Array(body)), 16)}"`;
  const now = () => Date.now();
  // The cache write finishes after the answer left: the request's ctx.waitUntil on Workers.
  const later = (c: Context<AppEnv>, work: Promise<unknown>) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      void work; // no execution context (Node, tests): the write runs on by itself
    }
  };

  /**
   * Runs the route, and answers with its JSON and ETag; puts a copy in the cache when there
   * is one (`cached`). Its 200 is what requests that joined it share (`coalesce`).
   */
  const runRoute = async (
    c: Context<AppEnv>,
    next: () => Promise<void>,
    cached?: { cache: Cache; key: Request; fresh: boolean },
  ): Promise<Shared | undefined> => {
    // The route's JSON as it writes it (every cached route answers c.json): read back from
    // the Response, it would first be made into a web stream, which on Node was a third of
    // a GET /stats's CPU (bench/PROFILE.md).
    // Its headers, Content-Type aside, are Hono's to merge (an error's WWW-Authenticate, say):
    // only a 200 is rebuilt below, from the text alone.
    let written: string | undefined;
    const json: typeof c.json = (object: unknown, arg?: unknown, headers?: unknown) => {
      written = JSON.stringify(object);
      const withType = { "Content-Type": "application/json", ...(headers as object | undefined) };
      return c.newResponse(written, arg as never, withType as never) as never;
    };
    c.json = json;
    // Age counts from before the query: a write it missed is visible within the TTL.
    const queriedAt = now();
    await next();
    if (c.res.status !== 200) return undefined;
    // Read once, not cloned (a tee of the stream): the answer is rebuilt from it below.
    const body: Body = written ?? (await c.res.arrayBuffer());
    const etag = await etagOf(body);
    if (cached) {
      const stored = new Response(body, {
        headers: {
          "Content-Type": c.res.headers.get("Content-Type") ?? "application/json",
          ETag: etag,
          // The Cache API honours max-age; the query's time bounds staleness exactly.
          "Cache-Control": `public, max-age=${opts.ttlSeconds}`,
          [STORED_AT]: String(queriedAt),
        },
      });
      // A failed write only costs the next reader a database query.
      later(
        c,
        cached.cache
          .put(cached.key, stored)
          .catch((err) => c.get("log")?.warn("cache write failed", { error: String(err) })),
      );
    }
    const state = cached && !cached.fresh ? "MISS" : "BYPASS";
    const out = answer(c, body, etag, ttlMs - (now() - queriedAt), state);
    // Unset first, so Hono does not copy the route's answer's headers into `out` by rebuilding
    // it (reading its body: on Node a web stream). A cached route sets none of its own: a HIT
    // never runs it.
    c.res = undefined;
    c.res = out;
    return typeof body === "string" ? { body, etag } : undefined;
  };

  /** Runs of the route not yet started, by key (`coalesce`): a request arriving now joins. */
  const starting = new Map<string, Promise<Shared | undefined>>();
  const coalesced = async (
    c: Context<AppEnv>,
    next: () => Promise<void>,
    defer: (start: () => void) => void,
  ) => {
    const key = shareKey(c);
    const joined = starting.get(key);
    if (joined) {
      const shared = await joined;
      if (shared) return answer(c, shared.body, shared.etag, 0, "BYPASS");
      // The run it joined answered something else (an error, say): it runs the route itself.
      await runRoute(c, next);
      return;
    }
    let done!: (shared: Shared | undefined) => void;
    starting.set(key, new Promise((resolve) => (done = resolve)));
    await new Promise<void>((resolve) => defer(resolve));
    // From here on, a request for this key waits for the next run: this one has started.
    starting.delete(key);
    let out: Shared | undefined;
    try {
      out = await runRoute(c, next);
    } finally {
      done(out);
    }
  };

  return async (c, next) => {
    if (c.req.method !== "GET") return next();
    const cache = ttlMs > 0 && opts.cache ? await opts.cache() : undefined;
    if (!cache) {
      if (opts.coalesce) return coalesced(c, next, opts.coalesce);
      await runRoute(c, next);
      return;
    }
    const key = new Request(await keyUrl(c), { method: "GET" });
    // A reader who asks for a fresh answer (Cache-Control: no-cache, as a browser's reload
    // sends) gets one from the database; it still refreshes the cache for the others.
    const fresh = /\bno-cache\b/i.test(c.req.header("Cache-Control") ?? "");

    const hit = fresh ? undefined : await cache.match(key).catch(() => undefined);
    const storedAt = Number(hit?.headers.get(STORED_AT));
    const age = now() - storedAt;
    if (hit && Number.isFinite(storedAt) && age >= 0 && age < ttlMs) {
      const body = await hit.arrayBuffer();
      return answer(c, body, hit.headers.get("ETag") ?? (await etagOf(body)), ttlMs - age, "HIT");
    }
    await runRoute(c, next, { cache, key, fresh });
  };
}

/** A route's 200 as requests that joined its run share it: its JSON text and ETag. */
interface Shared {
  body: string;
  etag: string;
}

/** An answer's body: the route's JSON text as it wrote it, or the bytes of a cached copy. */
type Body = string | ArrayBuffer;

function answer(
  c: Context<AppEnv>,
  body: Body,
  etag: string,
  freshForMs: number,
  state: "HIT" | "MISS" | "BYPASS",
): Response {
  // `private`: the answer needed a token, so no shared cache beyond ours may keep it.
  // The client may reuse it only for what is left of the edge copy's life, so the
  // staleness bound holds end to end.
  const headers = {
    ETag: etag,
    "Cache-Control": `private, max-age=${Math.max(0, Math.floor(freshForMs / 1000))}`,
    "X-Cache": state,
  };
  if (matchesEtag(c.req.header("If-None-Match"), etag)) return plainAnswer(c, null, 304, headers);
  // Text where there is text: @hono/node-server ends the response with it, and Node sends
  // headers and text as one string in one write; bytes go out as a second buffer of a
  // writev, measured ~5 µs more per answer. Never an ArrayBuffer, which it pipes through a
  // web stream (a third of a GET /stats's CPU, bench/PROFILE.md).
  const bytes = typeof body === "string" ? body : new Uint8Array(body);
  return plainAnswer(c, bytes, 200, { ...headers, "Content-Type": "application/json" });
}
