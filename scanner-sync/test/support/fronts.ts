// Faults between the device and the real server. `faultyFront` is an HTTP front that
// answers some requests itself (500, 429 with Retry-After) and forwards the rest;
// `tcpProxy` is a TCP proxy that drops connections after a random number of bytes,
// on the way in (the request never completes) or on the way out (stored, answer lost),
// and can take the network down and up again; `silentFront` accepts connections and never
// answers.
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { connect, createServer as createTcpServer, type Socket } from "node:net";

export interface Front {
  url: string;
  /** Requests that reached the front, forwarded or not. */
  requests: number;
  close(): Promise<void>;
}

export type Fault = { status: number; headers?: Record<string, string>; body?: string } | null;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * `fault(n)` decides the n-th request (1-based): answer it with a fault, or null to forward
 * it. `before(n)`, if given, runs before the n-th request is decided (something that
 * happens to the server between two requests of the device: a revocation).
 */
export async function faultyFront(
  target: string,
  fault: (n: number) => Fault,
  before?: (n: number) => Promise<unknown> | undefined,
): Promise<Front> {
  const front: Front = { url: "", requests: 0, close: async () => {} };
  const server = createHttpServer(async (req, res) => {
    const n = ++front.requests;
    const body = await readBody(req);
    await before?.(n);
    const f = fault(n);
    if (f) {
      res.writeHead(f.status, { "Content-Type": "application/json", ...f.headers });
      res.end(
        f.body ??
          JSON.stringify({ error: "unavailable", message: "injected fault", request_id: `fault-${n}` }),
      );
      return;
    }
    const headers: Record<string, string> = {};
    for (const h of ["authorization", "content-type", "user-agent"]) {
      const v = req.headers[h];
      if (typeof v === "string") headers[h] = v;
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method ?? "GET",
      headers,
      body: req.method === "GET" ? undefined : new Uint8Array(body),
    });
    const out: Record<string, string> = {};
    for (const h of ["content-type", "x-request-id", "retry-after", "www-authenticate"]) {
      const v = upstream.headers.get(h);
      if (v) out[h] = v;
    }
    res.writeHead(upstream.status, out);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  front.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  front.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return front;
}

export interface TcpProxy extends Front {
  cuts: { request: number; response: number };
  /** Down: every connection, open or new, is dropped at once (the network is gone). */
  setDown(down: boolean): void;
}

/**
 * A TCP proxy to the server. Each connection is cut with probability `cutRate`, after a
 * random number of bytes: half of them on the way up (a request never arrives whole), half
 * on the way back (the server has stored the batch; the device never hears it).
 */
export async function tcpProxy(
  targetPort: number,
  opts: { cutRate?: number; random?: () => number } = {},
): Promise<TcpProxy> {
  const random = opts.random ?? Math.random;
  const sockets = new Set<Socket>();
  let down = false;
  const proxy: TcpProxy = {
    url: "",
    requests: 0,
    cuts: { request: 0, response: 0 },
    setDown(value) {
      down = value;
      if (down) for (const s of sockets) s.destroy();
    },
    close: async () => {},
  };
  const server = createTcpServer((client) => {
    client.on("error", () => {});
    if (down) return void client.destroy();
    proxy.requests++;
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    const cut = random() < (opts.cutRate ?? 0) ? (random() < 0.5 ? "request" : "response") : null;
    // Kept-alive connections carry many requests (tens of KiB each) and their answers (a
    // few hundred bytes each): the cut lands inside one of the first few exchanges.
    let budget = Math.floor(random() * (cut === "request" ? 60_000 : 900));
    const pipe = (from: Socket, to: Socket, cutsHere: boolean) =>
      from.on("data", (chunk: Buffer) => {
        if (cutsHere && chunk.length >= budget) {
          to.write(chunk.subarray(0, budget));
          proxy.cuts[cut as "request" | "response"]++;
          client.destroy();
          upstream.destroy();
          return;
        }
        if (cutsHere) budget -= chunk.length;
        to.write(chunk);
      });
    pipe(client, upstream, cut === "request");
    pipe(upstream, client, cut === "response");
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return proxy;
}

/**
 * A server that accepts connections and never answers: a host that is up while the
 * analytics server behind it hangs. `requests` counts connections.
 */
export async function silentFront(): Promise<Front> {
  const sockets = new Set<Socket>();
  const front: Front = { url: "", requests: 0, close: async () => {} };
  const server = createTcpServer((socket) => {
    front.requests++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  front.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  front.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return front;
}
