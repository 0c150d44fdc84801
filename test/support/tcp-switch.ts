// A TCP forwarder in front of a server, that can be switched off and on again at the same
// address: to a browser, the server goes away for real (connections cut, new ones refused)
// and comes back, without restarting it (a Worker in workerd takes long to start).
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpSwitch {
  /** The server's URL through the switch (same path layout, another port). */
  url: string;
  /** Cuts every connection and refuses new ones. */
  off(): Promise<void>;
  /** Accepts connections again, at the same port. */
  on(): Promise<void>;
  /**
   * A network partition: every open connection stays open but carries nothing more either
   * way (a half-open connection, as a dropped NAT entry leaves it), and new ones are taken
   * and carry nothing, until heal().
   */
  silence(): void;
  /** New connections reach the server again; the silenced ones stay dead. */
  heal(): void;
  close(): Promise<void>;
}

export async function tcpSwitch(target: string): Promise<TcpSwitch> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  let server: Server | undefined;
  let listenPort = 0;
  let silent = false;
  /** Reads what comes and drops it. */
  const sink = (sock: Socket) => {
    sock.on("data", () => {});
    sock.on("error", () => {});
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
  };

  const on = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        if (silent) return sink(client);
        const upstream = createConnection({ host: hostname, port: Number(port) });
        const pair: [Socket, Socket] = [client, upstream];
        pairs.add(pair);
        client.on("close", () => pairs.delete(pair));
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on("close", () => sockets.delete(sock));
          sock.on("error", () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      s.once("error", reject);
      s.listen(listenPort, "127.0.0.1", () => {
        const address = s.address();
        listenPort = typeof address === "object" && address ? address.port : listenPort;
        server = s;
        resolve();
      });
    });

  const off = () =>
    new Promise<void>((resolve) => {
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  const silence = () => {
    silent = true;
    for (const [client, upstream] of pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      sink(client);
      sink(upstream);
    }
    pairs.clear();
  };
  const heal = () => {
    silent = false;
  };

  await on();
  return { url: `http://127.0.0.1:${listenPort}`, on, off, silence, heal, close: off };
}
