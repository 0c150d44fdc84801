// A raw TCP client for what fetch cannot do: send a request in pieces, stop half-way,
// pipeline, and read exactly what the server wrote and whether it closed the socket.
import { connect, type Socket } from "node:net";

export interface RawConnection {
  socket: Socket;
  write(text: string): void;
  /** Everything the server has written so far. */
  received(): string;
  /** Resolves once the server closed the connection (or it broke), with all it wrote. */
  closed: Promise<string>;
}

export function rawConnect(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      data += chunk;
    });
    const closed = new Promise<string>((done) => {
      socket.once("close", () => done(data));
    });
    socket.once("error", () => {}); // a reset shows up as close
    socket.once("connect", () =>
      resolve({ socket, write: (t) => socket.write(t), received: () => data, closed }),
    );
    socket.once("error", reject);
  });
}

/** The head of a POST with a JSON body of `length` bytes (the body follows separately). */
export const postHead = (path: string, length: number) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

/** The head of a POST whose JSON body follows in chunks (Transfer-Encoding: chunked). */
export const chunkedHead = (path: string) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;

/** Whether a new TCP connection to the port is refused. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
