// An answer streamed after its handler returned (GET /export/*) still reads the store
// until its body ends. Whoever closes a store per request (the Worker, src/worker/app.ts,
// where a Neon pool ended under a running export would fail its next page) waits for that.
import type { Context } from "hono";

const ends = new WeakMap<Request, Promise<void>>();

/** The route's body keeps reading the store until `ended` settles. */
export function answerEndsWith(c: Context, ended: Promise<void>): void {
  ends.set(c.req.raw, ended);
}

/** Settles when the request's answer no longer needs the store: now, unless its body streams. */
export function answerEnded(c: Context): Promise<void> {
  return ends.get(c.req.raw) ?? Promise.resolve();
}
