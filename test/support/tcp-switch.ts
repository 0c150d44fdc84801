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
  close(): Promise<void>;
}

export async function tcpSwitch(target: string): Promise<TcpSwitch> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let listenPort = 0;

  const on = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = createConnection({ host: hostname, port: Number(port) });
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

  await on();
  return { url: `http://127.0.0.1:${listenPort}`, on, off, close: off };
}
