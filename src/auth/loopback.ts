// Which addresses and requests count as this machine's own. A server that runs without
// tokens serves only these: a bind address elsewhere is refused, and a request whose Host
// names another site is one a page of that site sent (DNS rebinding: its name resolved to
// 127.0.0.1), which must meet the tokens an open server does not have.

/** A loopback host name or address, as HOST or a URL's hostname spells it. */
export function isLoopbackHost(host: string): boolean {
  return (
    host === "localhost" ||
    host === "::1" ||
    host === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/** A request sent to this machine by a loopback name (its URL's host is the Host header's). */
export function isLoopbackUrl(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname);
}
