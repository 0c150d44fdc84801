// A WebSocket-to-TCP proxy, as Neon runs in front of its Postgres: lets the Neon
// serverless driver (inside workerd) reach a plain local Postgres. Each WebSocket opens a
// TCP socket to `?address=host:port` (default 127.0.0.1:5432) and bytes flow both ways.
//
// It also counts what crosses it, per connection path (the driver is pointed at
// `<host:port>/<tag>` to count one run apart from others): messages each way and round
// trips, i.e. how often the server answered something the client sent, which is how
// often a request waits on the network (a last message nobody answers, like Terminate,
// is no round trip). Node reads them with `counters(tag)`, workerd with
// GET http://<host:port>/counters?tag=<tag>.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { WebSocketServer } from "ws";

export interface ProxyCounters {
  connections: number;
  clientMessages: number;
  serverMessages: number;
  clientBytes: number;
  serverBytes: number;
  roundTrips: number;
}

export interface WsProxy {
  /** host:port, for NEON_WS_PROXY. */
  hostPort: string;
  /** Counters of connections whose path starts with `/<tag>` (all when tag is omitted). */
  counters(tag?: string): ProxyCounters;
  reset(): void;
  close(): Promise<void>;
}

const zero = (): ProxyCounters => ({
  connections: 0,
  clientMessages: 0,
  serverMessages: 0,
  clientBytes: 0,
  serverBytes: 0,
  roundTrips: 0,
});

function tagOf(path: string): string {
  const first = path.split("/")[1] ?? "";
  return first === "v2" ? "" : first;
}

export async function startWsProxy(defaultTarget = "127.0.0.1:5432"): Promise<WsProxy> {
  const byTag = new Map<string, ProxyCounters>();
  const countersFor = (tag: string) => {
    const known = byTag.get(tag);
    if (known) return known;
    const fresh = zero();
    byTag.set(tag, fresh);
    return fresh;
  };
  const total = (tag?: string): ProxyCounters => {
    if (tag !== undefined) return { ...(byTag.get(tag) ?? zero()) };
    const sum = zero();
    for (const c of byTag.values())
      for (const k of Object.keys(sum) as (keyof ProxyCounters)[]) sum[k] += c[k];
    return sum;
  };

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    if (url.pathname === "/counters") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(total(url.searchParams.get("tag") ?? undefined)));
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: http });

  wss.on("connection", (ws, req: IncomingMessage) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const counters = countersFor(tagOf(url.pathname));
    const [host, port] = (url.searchParams.get("address") ?? defaultTarget).split(":");
    counters.connections++;
    // Who spoke last on this connection: the server speaking after the client closes a
    // round trip.
    let lastFrom: "client" | "server" = "server";
    const tcp = connect({ host: host ?? "127.0.0.1", port: Number(port ?? 5432) });
    const pending: Buffer[] = [];
    tcp.on("connect", () => {
      for (const b of pending.splice(0)) tcp.write(b);
    });
    ws.on("message", (data: Buffer) => {
      counters.clientMessages++;
      counters.clientBytes += data.length;
      lastFrom = "client";
      if (tcp.connecting) pending.push(data);
      else tcp.write(data);
    });
    tcp.on("data", (data) => {
      counters.serverMessages++;
      counters.serverBytes += data.length;
      if (lastFrom === "client") counters.roundTrips++;
      lastFrom = "server";
      ws.send(data);
    });
    const closeBoth = () => {
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    tcp.on("close", closeBoth);
    tcp.on("error", closeBoth);
    ws.on("close", closeBoth);
    ws.on("error", closeBoth);
  });

  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    hostPort: `127.0.0.1:${port}`,
    counters: total,
    reset: () => byTag.clear(),
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
