// One HTTP request with node:http(s), on keep-alive connections. Not fetch(): per POST of
// a 1000-item batch it cost the device about three times the CPU (web streams, Headers,
// its body handling), which a drain spends a hundred times; an admission check's GET
// shares the same connections. Redirects are not followed: the caller sees the 3xx and
// its Location.
import http from "node:http";
import https from "node:https";

export interface HttpAnswer {
  status: number;
  header(name: string): string | null;
  text: string;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  /** POST only: a GET sends none. */
  body?: string;
  /** Fails the request (with the signal's reason) when it aborts. */
  signal: AbortSignal;
}

// Keep-alive connections, reused across batches. Idle ones do not keep the process alive.
const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

export function httpRequest(o: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    if (o.signal.aborted) return reject(o.signal.reason);
    const url = new URL(o.url);
    const client = url.protocol === "https:" ? https : http;
    const body = o.body === undefined ? undefined : Buffer.from(o.body);
    const req = client.request(url, {
      method: o.method,
      agent: agents[url.protocol as keyof typeof agents],
      headers: body ? { ...o.headers, "Content-Length": String(body.length) } : o.headers,
    });
    const abort = () => req.destroy(o.signal.reason as Error);
    o.signal.addEventListener("abort", abort, { once: true });
    const done = () => o.signal.removeEventListener("abort", abort);
    req.on("error", (err) => {
      done();
      reject(err);
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (err) => {
        done();
        reject(err);
      });
      // The connection dropped in the middle of the answer (promises settle once).
      res.on("close", () => {
        done();
        if (!res.complete) reject(Object.assign(new Error("the answer was cut off"), { code: "ECONNRESET" }));
      });
      res.on("end", () => {
        done();
        const header = (name: string) => {
          const v = res.headers[name.toLowerCase()];
          return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
        };
        resolve({ status: res.statusCode ?? 0, header, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.end(body);
  });
}
