// The dashboard's record downloads (src/dashboard/download.ts) against a real HTTP server
// that answers as the export does, or breaks off mid-file as a dropped connection does: a
// file is had whole or not at all (the browser tests download through the real page).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Failed, fetchFile, savedName } from "../../src/dashboard/download.js";

const HEAD = "id,uuid,ticket_id\n";
const ROW = "1,0190a1b2-0000-7000-8000-000000000001,tïcket-1\n";
const BIG_CHUNKS = 200; // 200 lines of 64 KiB: about 13 MB

describe("the dashboard's record downloads", () => {
  let server: Server;
  let base: string;
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url?.startsWith("/whole")) {
        res.writeHead(200, {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="scans-ev_.csv"; filename*=UTF-8''scans-ev%C3%A9.csv`,
        });
        res.write(HEAD);
        setTimeout(() => res.end(ROW), 20);
      } else if (req.url?.startsWith("/big")) {
        // More than the page folds into one Blob at a time: every byte still there, in order.
        res.writeHead(200, { "Content-Type": "text/csv" });
        for (let i = 0; i < BIG_CHUNKS; i++)
          res.write(`${String(i).padStart(7, "0")}${"x".repeat(65_528)}\n`);
        res.end();
      } else if (req.url?.startsWith("/sign-in")) {
        // A venue Wi-Fi's sign-in page, answering for the server.
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end("<html>Sign in to the venue Wi-Fi</html>");
      } else if (req.url?.startsWith("/broken")) {
        res.writeHead(200, { "Content-Type": "text/csv" });
        res.write(HEAD);
        // The export's stream fails, or the network drops: the chunked body never ends.
        setTimeout(() => res.destroy(), 20);
      } else {
        res.writeHead(403, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: "forbidden", message: "this token may not read event x" }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("has the whole file, with a byte-order mark for Excel, under the server's UTF-8 name", async () => {
    const progress: number[] = [];
    const file = await fetchFile(new URL(`${base}/whole`), "the-token", (n) => progress.push(n));
    const body = Buffer.from(await file.blob.arrayBuffer()).toString("utf8");
    expect(body).toBe(`\ufeff${HEAD}${ROW}`);
    expect(file.bytes).toBe(Buffer.byteLength(HEAD + ROW));
    expect(file.name).toBe("scans-evé.csv");
    expect(progress.at(-1)).toBe(file.bytes);
    // The token went as a header.
    expect(seen.at(-1)).toBe("Bearer the-token");
  });

  it("has a file of many megabytes whole, in order", async () => {
    const file = await fetchFile(new URL(`${base}/big`), null);
    const text = Buffer.from(await file.blob.arrayBuffer()).toString("utf8");
    expect(file.bytes).toBe(BIG_CHUNKS * 65_536);
    const lines = text.slice(1).split("\n").slice(0, -1);
    expect(lines.map((l) => Number(l.slice(0, 7)))).toEqual(Array.from({ length: BIG_CHUNKS }, (_, i) => i));
    expect(file.name).toBe("big-null.csv");
  });

  it("takes a page that is not the server's (a Wi-Fi sign-in) for no file", async () => {
    await expect(fetchFile(new URL(`${base}/sign-in?event_id=e`), null)).rejects.toThrow(
      "a page that is not this server's answered: a network sign-in?",
    );
  });

  it("has nothing when the transfer breaks off, and says after how much", async () => {
    const failed = fetchFile(new URL(`${base}/broken`), null);
    await expect(failed).rejects.toBeInstanceOf(Failed);
    await expect(failed).rejects.toThrow(`the transfer broke off after ${Buffer.byteLength(HEAD)} bytes`);
  });

  it("says what the server refused, and when it cannot be reached", async () => {
    await expect(fetchFile(new URL(`${base}/refused`), "t")).rejects.toThrow(
      "the server answered 403: this token may not read event x",
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(fetchFile(new URL(`http://127.0.0.1:${port}/x`), null)).rejects.toThrow(
      "the server could not be reached",
    );
  });

  it("takes the file name the server gives, UTF-8 first", () => {
    expect(savedName(`attachment; filename="a_b.csv"; filename*=UTF-8''a%C3%A9b.csv`, "x")).toBe("aéb.csv");
    expect(savedName(`attachment; filename="a_b.csv"`, "x")).toBe("a_b.csv");
    expect(savedName(`attachment; filename="a_b.csv"; filename*=UTF-8''%E0%A4`, "x")).toBe("a_b.csv");
    expect(savedName(null, "scans.csv")).toBe("scans.csv");
  });
});
