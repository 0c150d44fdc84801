// One POST /sync over HTTP, and what its answer means for the uploader: done, try again
// later, split the batch, or stop (nothing a retry can fix). Only a 200 whose body is a
// real sync answer counts as done: a captive portal's 200 page is not.
import * as z from "zod";
import type { SyncResponse } from "../wire.js";
import { parseRetryAfter } from "./backoff.js";
import { type HttpAnswer, httpPost } from "./http-post.js";
import { describeNetworkError } from "./network-errors.js";

const syncResponse = z.object({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.array(
    z.object({
      kind: z.enum(["scan", "invalid_attempt"]),
      index: z.number().int().min(0),
      uuid: z.string().nullable(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  ),
}) satisfies z.ZodType<SyncResponse>;

export type PostOutcome =
  | { type: "ok"; response: SyncResponse; requestId: string | null }
  | { type: "retry"; reason: string; retryAfterMs: number | null }
  | { type: "too_large"; reason: string }
  | { type: "fatal"; reason: string; status: number }
  | { type: "aborted" };

export interface PostOptions {
  endpoint: string;
  token?: string | undefined;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  now: () => Date;
  userAgent: string;
}

/** The server's error envelope, as one line: "unauthorized: invalid token (request abc)". */
function describeError(status: number, text: string, requestId: string | null): string {
  let what = text.trim().slice(0, 200) || "no body";
  let id = requestId;
  try {
    const e = JSON.parse(text) as { error?: string; message?: string; request_id?: string };
    if (e.message) what = `${e.error ?? status}: ${e.message}`;
    id ??= e.request_id ?? null;
  } catch {
    // Not the envelope (a proxy's page): its first characters are the best clue.
  }
  return `${what}${id ? ` (request ${id})` : ""}`;
}

export async function postSync(o: PostOptions): Promise<PostOutcome> {
  // A timer of our own, not AbortSignal.timeout(): that one does not keep the process
  // alive, and a request whose connection the network dropped can wait with nothing else
  // holding the process open; it then simply exited (code 13) in the middle of `sync`.
  // This timer keeps it waiting and fails the request instead.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException("timed out", "TimeoutError")), o.timeoutMs);
  const signal = AbortSignal.any([timeout.signal, ...(o.signal ? [o.signal] : [])]);
  let res: HttpAnswer;
  try {
    // Redirects are not followed (a redirected POST turns into a GET): the 3xx below
    // says where the server is instead.
    res = await httpPost({
      url: o.endpoint,
      headers: {
        "Content-Type": "application/json",
        "User-Agent": o.userAgent,
        ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}),
      },
      body: o.body,
      signal,
    });
  } catch (err) {
    if (o.signal?.aborted) return { type: "aborted" };
    return { type: "retry", reason: describeNetworkError(err, o.endpoint, o.timeoutMs), retryAfterMs: null };
  } finally {
    clearTimeout(timer);
  }
  const { text, status } = res;
  const requestId = res.header("x-request-id");
  if (status >= 200 && status < 300) {
    let parsed: ReturnType<typeof syncResponse.safeParse> | undefined;
    try {
      parsed = syncResponse.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) return { type: "ok", response: parsed.data, requestId };
    return {
      type: "retry",
      reason: `${status} from ${o.endpoint} is not a sync answer (a captive portal or a proxy?)`,
      retryAfterMs: null,
    };
  }
  const why = describeError(status, text, requestId);
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    return {
      type: "retry",
      reason: `server answered ${status} (${why})`,
      retryAfterMs: parseRetryAfter(res.header("retry-after"), o.now()),
    };
  }
  if (status === 413) return { type: "too_large", reason: `server answered 413 (${why})` };
  if (status === 401) {
    const hint = o.token
      ? "the token is wrong, expired or revoked (signing key rotated): issue a new one with `npm run token -- scanner <id>`"
      : "the server requires a token: pass --token or set SYNC_TOKEN";
    return { type: "fatal", status, reason: `the server refused the token (401 ${why}); ${hint}` };
  }
  if (status === 403)
    return { type: "fatal", status, reason: `the server refused this token for this upload (403 ${why})` };
  if (status === 400) return { type: "fatal", status, reason: `the server refused the batch (400 ${why})` };
  if (status === 404 || status === 405) {
    return {
      type: "fatal",
      status,
      reason: `no POST /sync at ${o.endpoint} (${status}): is --url / SYNC_URL the analytics server's base URL?`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      type: "fatal",
      status,
      reason: `${o.endpoint} redirects to ${res.header("location") ?? "elsewhere"} (${status}): use that as --url / SYNC_URL`,
    };
  }
  return { type: "fatal", status, reason: `unexpected ${status} from ${o.endpoint} (${why})` };
}
