// One POST /sync over HTTP, and what its answer means for the uploader: done, try again
// later, split the batch, or stop (nothing a retry can fix). Only a 200 whose body is a
// real sync answer counts as done: a captive portal's 200 page is not.
import { type SyncResponse, syncResponse } from "../wire.js";
import { describeError, parseAnswer, tokenHint } from "./answers.js";
import { parseRetryAfter } from "./backoff.js";
import { timedRequest } from "./timed-request.js";

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

export async function postSync(o: PostOptions): Promise<PostOutcome> {
  // Redirects are not followed (a redirected POST turns into a GET): the 3xx below says
  // where the server is instead.
  const reached = await timedRequest({
    method: "POST",
    url: o.endpoint,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": o.userAgent,
      ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}),
    },
    body: o.body,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
  });
  if (reached.type === "aborted") return reached;
  if (reached.type === "unreachable") return { type: "retry", reason: reached.reason, retryAfterMs: null };
  const res = reached.answer;
  const { text, status } = res;
  const requestId = res.header("x-request-id");
  if (status >= 200 && status < 300) {
    const response = parseAnswer(syncResponse, text);
    if (response) return { type: "ok", response, requestId };
    return {
      type: "retry",
      reason: `${status} from ${o.endpoint} is not a sync answer (a captive portal or a proxy?)`,
      retryAfterMs: null,
    };
  }
  const why = describeError(res);
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    return {
      type: "retry",
      reason: `server answered ${status} (${why})`,
      retryAfterMs: parseRetryAfter(res.header("retry-after"), o.now()),
    };
  }
  if (status === 413) return { type: "too_large", reason: `server answered 413 (${why})` };
  if (status === 401) {
    return {
      type: "fatal",
      status,
      reason: `the server refused the token (401 ${why}); ${tokenHint(Boolean(o.token))}`,
    };
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
