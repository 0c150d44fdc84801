// X-Request-Id on every answer: the caller's own id when it is a sane token, else a new
// UUID; the same id is in every log line of the request and in every error body.
//
// Not Hono's requestId middleware: it sets the header with c.header before the route, which
// gives every answer an undici Headers object, and @hono/node-server then walks that object
// to write the head, where an answer built with a plain record of headers is written as it
// is (bench/RESULTS.md, "response headers and query parsing": the A/B). So the hot
// answers (the cached reads, one record's 201) are built here with plain headers, the id
// among them, and every other answer gets the id stamped after its route.
import type { Context, MiddlewareHandler, TypedResponse } from "hono";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import type { JSONParsed, JSONValue } from "hono/utils/types";
import type { AppEnv } from "./env.js";

const HEADER = "X-Request-Id";
/** An id we echo: short, and nothing a log line or a header could be broken with. */
const SANE = /^[\w\-=]{1,128}$/;

/** Answers that already carry the id (built by plainAnswer). */
const stamped = new WeakSet<Response>();

export function requestIds(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header(HEADER);
    const id = given !== undefined && SANE.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    if (stamped.has(c.res)) return;
    try {
      c.res.headers.set(HEADER, id);
    } catch {
      // Immutable headers (a Response from fetch or a cache): a copy takes the id.
      const res = c.res;
      c.res = undefined;
      c.res = new Response(res.body, res);
      c.res.headers.set(HEADER, id);
    }
  };
}

/**
 * An answer with a plain record of headers and the request id among them, for a route that
 * sets no header of its own (c.header): such headers would not be in it. A browser's call
 * (an Origin) may have CORS headers waiting in Hono's context; c.body keeps them.
 */
export function plainAnswer(
  c: Context<AppEnv>,
  body: string | Uint8Array<ArrayBuffer> | null,
  status: StatusCode,
  headers: Record<string, string>,
): Response {
  if (c.req.header("Origin") !== undefined) {
    return body === null
      ? c.body(null, status, headers)
      : c.body(body, status as ContentfulStatusCode, headers);
  }
  const res = new Response(body, { status, headers: { ...headers, [HEADER]: c.get("requestId") } });
  stamped.add(res);
  return res;
}

/** c.json(object, status) as a plainAnswer, typed as c.json types it (for hc and the docs). */
export function plainJson<T extends JSONValue, S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  object: T,
  status: S,
): Response & TypedResponse<JSONParsed<T>, S, "json"> {
  return plainAnswer(c, JSON.stringify(object), status, { "Content-Type": "application/json" }) as never;
}
