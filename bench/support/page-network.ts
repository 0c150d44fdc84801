// Every request a page makes, as Chromium's network stack saw it (CDP Network events):
// Playwright's response events carry no transfer sizes and do not say whether the HTTP
// cache answered, which are the figures a page-weight or a refresh-cost benchmark is about.
import type { Page } from "playwright-core";

export interface Exchange {
  url: string;
  status: number;
  /** Content-Encoding of the answer ("" when none). */
  encoding: string;
  /** Answered by the browser's HTTP cache (memory or disk): nothing went over the wire. */
  fromCache: boolean;
  /** Bytes received for it, headers and (encoded) body, as Chromium counts them. */
  received: number;
  /** Chromium's id of the connection that carried it (0 for none). */
  connection: number;
  /** The body once decoded. */
  body: number;
  /** The request line and headers as sent (HTTP/1.1: their length on the wire, give or take). */
  sent: number;
  done: boolean;
  failed: string | null;
}

export interface NetworkLog {
  /** The requests sent since the last `clear`, in the order they were sent. */
  readonly exchanges: Exchange[];
  /** When anything last happened on the network (Date.now()). */
  lastActivity(): number;
  clear(): void;
}

/** The fields of CDP's Network.Response read here. */
interface CdpResponse {
  status: number;
  headers: Record<string, string>;
  fromDiskCache?: boolean;
  encodedDataLength: number;
  connectionId: number;
}

const headerBytes = (headers: Record<string, string>) =>
  Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 2);

export async function recordNetwork(page: Page): Promise<NetworkLog> {
  const cdp = await page.context().newCDPSession(page);
  let byId = new Map<string, Exchange>();
  // The headers as sent may be reported before the request they belong to.
  let sentEarly = new Map<string, number>();
  let exchanges: Exchange[] = [];
  let last = Date.now();
  const on = <T>(event: string, fn: (e: T & { requestId: string }, x: Exchange | undefined) => void) =>
    // biome-ignore lint/suspicious/noExplicitAny: CDP event names are not typed as a union here.
    cdp.on(event as any, (e: T & { requestId: string }) => {
      last = Date.now();
      fn(e, byId.get(e.requestId));
    });

  on<{ request: { url: string; method: string } }>("Network.requestWillBeSent", (e, old) => {
    if (old) return; // a redirect: the same exchange goes on
    const path = new URL(e.request.url).pathname + new URL(e.request.url).search;
    const x: Exchange = {
      url: e.request.url,
      status: 0,
      encoding: "",
      fromCache: false,
      received: 0,
      connection: 0,
      body: 0,
      sent: `${e.request.method} ${path} HTTP/1.1\r\n`.length + (sentEarly.get(e.requestId) ?? 0),
      done: false,
      failed: null,
    };
    byId.set(e.requestId, x);
    exchanges.push(x);
  });
  on<{ headers: Record<string, string> }>("Network.requestWillBeSentExtraInfo", (e, x) => {
    if (x) x.sent += headerBytes(e.headers);
    else sentEarly.set(e.requestId, headerBytes(e.headers));
  });
  on("Network.requestServedFromCache", (_e, x) => {
    if (x) x.fromCache = true;
  });
  on<{ response: CdpResponse }>("Network.responseReceived", (e, x) => {
    if (!x) return;
    x.status = e.response.status;
    x.connection = e.response.connectionId;
    // The headers, so far: all a bodyless answer is, when its loading is then cancelled.
    x.received = e.response.encodedDataLength;
    const enc = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === "content-encoding");
    x.encoding = enc?.[1] ?? "";
    if (e.response.fromDiskCache) x.fromCache = true;
  });
  on<{ dataLength: number }>("Network.dataReceived", (e, x) => {
    if (x) x.body += e.dataLength;
  });
  on<{ encodedDataLength: number }>("Network.loadingFinished", (e, x) => {
    if (!x) return;
    x.received = x.fromCache ? 0 : e.encodedDataLength;
    if (x.fromCache) x.sent = 0;
    x.done = true;
  });
  on<{ errorText: string }>("Network.loadingFailed", (e, x) => {
    if (!x) return;
    x.failed = e.errorText;
    x.done = true;
  });
  await cdp.send("Network.enable");

  return {
    get exchanges() {
      return exchanges;
    },
    lastActivity: () => last,
    clear() {
      byId = new Map();
      sentEarly = new Map();
      exchanges = [];
    },
  };
}

/** Resolves once the page has sent something and then nothing has moved for `quietMs`. */
export async function nextQuiet(log: NetworkLog, quietMs: number, timeoutMs: number): Promise<Exchange[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = log.exchanges;
    if (all.length > 0 && all.every((x) => x.done) && Date.now() - log.lastActivity() >= quietMs) return all;
    if (Date.now() > deadline) throw new Error(`the page's network was not quiet within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
