// A failed request's reason, named for a person: the code is on the error itself, or on
// one of an AggregateError's (a host with several addresses, each refused).
const CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused (is the server running, and is the URL right?)",
  ECONNRESET: "connection reset",
  EPIPE: "connection cut",
  ENOTFOUND: "host not found (DNS)",
  EAI_AGAIN: "host not found (DNS temporarily failing)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
};

export function describeNetworkError(err: unknown, endpoint: string, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return `cannot reach ${endpoint}: no answer within ${timeoutMs / 1000} s`;
  }
  let cause: unknown = err;
  let detail = (err as Error)?.message ?? String(err);
  // The code sits on the error, or a `cause` or an AggregateError's first error deep.
  for (let depth = 0; depth < 4 && cause; depth++) {
    const code = (cause as { code?: string }).code;
    if (code && CODES[code]) return `cannot reach ${endpoint}: ${CODES[code]}`;
    if (depth > 0 && (cause as Error).message) detail = (cause as Error).message;
    cause = (cause as { cause?: unknown }).cause ?? (cause as { errors?: unknown[] }).errors?.[0];
  }
  return `cannot reach ${endpoint}: ${detail}`;
}
