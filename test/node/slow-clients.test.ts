// Bounds for slow and idle clients on the Node server: headers must arrive within
// HTTP_HEADERS_TIMEOUT_MS, a whole request within HTTP_REQUEST_TIMEOUT_MS, an answer being
// streamed must keep moving within HTTP_IDLE_TIMEOUT_MS, and no more than
// HTTP_MAX_CONNECTIONS connections are held at once. A client that goes away mid-body is
// its own doing: logged as such, never as the database's failure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config.js";
import { type RunningServer, startServer } from "../../src/node/start.js";
import { createLogger } from "../../src/observability/logger.js";
import { batch, scanRow } from "../support/records.js";
import { chunkedHead, postHead, rawConnect, sleep } from "./raw-http.js";

const dir = mkdtempSync(join(tmpdir(), "veritix-slow-"));
const logLines: Record<string, unknown>[] = [];
let server: RunningServer;

beforeAll(async () => {
  const config = parseConfig({
    PORT: "0",
    SQLITE_PATH: join(dir, "slow.db"),
    HTTP_HEADERS_TIMEOUT_MS: "600",
    HTTP_REQUEST_TIMEOUT_MS: "1200",
    HTTP_IDLE_TIMEOUT_MS: "1500",
    HTTP_MAX_CONNECTIONS: "3",
  });
  const logger = createLogger("debug", {}, (line) => logLines.push(JSON.parse(line)));
  server = await startServer(config, logger);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("slow and idle clients", () => {
  it("answers 408 and closes a connection whose headers never finish", async () => {
    const c = await rawConnect(server.port);
    c.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and no blank line, ever
    expect(await c.closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("answers 408 and closes a request whose body trickles in past the request timeout", async () => {
    const c = await rawConnect(server.port);
    c.write(postHead("/scans", 200));
    const dribble = setInterval(() => c.write(" "), 200); // a byte every 200 ms: never 200 in time
    try {
      expect(await c.closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(dribble);
    }
  });

  it("closes an export whose client stopped reading, once nothing has moved for HTTP_IDLE_TIMEOUT_MS", async () => {
    // About 6 MB of records: more than the sockets' buffers take, so pages wait on the client.
    const event = "stalled-export";
    for (let i = 0; i < 5; i++)
      await server.store.insert(
        batch({
          scans: Array.from({ length: 200 }, (_, j) =>
            scanRow({
              event_id: event,
              ticket_id: `t-${i}-${j}`,
              additional_metadata: { note: "x".repeat(6000) },
            }),
          ),
        }),
      );
    const before = logLines.length;
    const c = await rawConnect(server.port);
    c.socket.pause(); // reads nothing, and keeps the connection open
    c.write(`GET /export/scans?event_id=${event} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const started = Date.now();
    // The server gives up on it: the connection destroyed, the export ended as a client gone
    // (a paused socket sees nothing of that until it reads again).
    const cancelled = () =>
      logLines.slice(before).find((l) => l.msg === "export cancelled by the client" && l.event_id === event);
    await vi.waitFor(() => expect(cancelled()).toBeDefined(), { timeout: 10_000, interval: 50 });
    // After the idle timeout, not at once: nothing moved for that long.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(cancelled()?.rows).toBeLessThan(1000);
    c.socket.destroy();
  });

  it("holds no more than HTTP_MAX_CONNECTIONS connections at once", async () => {
    const held = await Promise.all([1, 2, 3].map(() => rawConnect(server.port)));
    await sleep(50);
    const extra = await rawConnect(server.port);
    expect(await extra.closed).toBe(""); // dropped without an answer
    for (const h of held) h.socket.destroy();
    await sleep(50);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it.each([
    ["with a Content-Length, leaves mid-body", `${postHead("/scans", 100)}{"ticket_id": "t`],
    ["chunked, leaves mid-body", `${chunkedHead("/scans")}40\r\n{"ticket_id": "t`],
    ["chunked, sends a malformed chunk", `${chunkedHead("/scans")}zz\r\n{}\r\n0\r\n\r\n`],
  ])(
    "logs a client that, %s, as a closed request (499), not as the database or the server failing",
    async (_, sent) => {
      const before = logLines.length;
      const c = await rawConnect(server.port);
      c.write(sent);
      await sleep(100);
      c.socket.destroy();
      await sleep(300);
      const lines = logLines.slice(before);
      expect(lines).toContainEqual(expect.objectContaining({ msg: "client closed the request" }));
      expect(lines).toContainEqual(expect.objectContaining({ msg: "request", path: "/scans", status: 499 }));
      expect(lines.filter((l) => l.level === "error" || /database/.test(String(l.msg)))).toEqual([]);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(
        /veritix_http_request_seconds_count\{method="POST",route="\/scans",status="499"\} \d+/,
      );
      expect(metrics).not.toMatch(/status="5\d\d"/);
      expect(metrics).not.toMatch(/veritix_db_operation_seconds_count\{[^}]*result="error"/);
    },
  );
});
