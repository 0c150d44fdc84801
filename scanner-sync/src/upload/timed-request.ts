// One request to the server with a deadline of its own; a failure to get an answer is told
// apart from the caller giving up, and named for a person. The uploader's POST /sync and
// the admission check's GET both go through it.
import { type HttpAnswer, type HttpRequest, httpRequest } from "./http-request.js";
import { describeNetworkError } from "./network-errors.js";

export type Reached =
  | { type: "answer"; answer: HttpAnswer }
  | { type: "unreachable"; reason: string }
  | { type: "aborted" };

export interface TimedRequest extends Omit<HttpRequest, "signal"> {
  timeoutMs: number;
  /** The caller's: when it aborts, the answer is "aborted", not the server unreachable. */
  signal?: AbortSignal | undefined;
}

export async function timedRequest(o: TimedRequest): Promise<Reached> {
  const { timeoutMs, signal: callerSignal, ...request } = o;
  // A timer of our own, not AbortSignal.timeout(): that one does not keep the process
  // alive, and a request whose connection the network dropped can wait with nothing else
  // holding the process open; it then simply exited (code 13) in the middle of `sync`.
  // This timer keeps it waiting and fails the request instead.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException("timed out", "TimeoutError")), timeoutMs);
  const signal = AbortSignal.any([timeout.signal, ...(callerSignal ? [callerSignal] : [])]);
  try {
    return { type: "answer", answer: await httpRequest({ ...request, signal }) };
  } catch (err) {
    if (callerSignal?.aborted) return { type: "aborted" };
    return { type: "unreachable", reason: describeNetworkError(err, o.url, timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
}
