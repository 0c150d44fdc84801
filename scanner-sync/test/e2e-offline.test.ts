// A gate that works without the server: records made while it is unreachable all arrive,
// once, when it comes back; `sync --watch` rides out the network coming and going.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/support/server.js";
import { APP_VERSION, ScanBuffer } from "../src/index.js";
import { fill, type TempDir, tempDir } from "./support/buffers.js";
import { finished, runCli, spawnCli } from "./support/cli.js";
import { type TcpProxy, tcpProxy } from "./support/fronts.js";
import { freePort } from "./support/server-process.js";
import { AUTH_ENV, eventCounts, READER, scannerToken } from "./support/tokens.js";
import { waitFor } from "./support/wait.js";

describe("offline, then online", () => {
  let dir: TempDir;
  let server: TestServer | undefined;
  let proxy: TcpProxy | undefined;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await proxy?.close();
    await server?.stop();
    proxy = undefined;
    server = undefined;
    dir.cleanup();
  });

  it("keeps what is recorded while the server is down, and delivers all of it once when it is back", async () => {
    const port = await freePort();
    const env = {
      SCANNER_DB: dir.path("gate.db"),
      SCANNER_ID: "gate-a-01",
      SYNC_URL: `http://127.0.0.1:${port}`,
      SYNC_TOKEN: await scannerToken("gate-a-01"),
    };
    const event = "offline-online";
    expect((await runCli(["record", "--event-id", event, "--ticket-id", "t-1"], env)).code).toBe(0);
    const refused = [
      "record",
      "--event-id",
      event,
      "--ticket-id",
      "t-2",
      "--invalid",
      "--reason",
      "expired_ticket",
    ];
    expect((await runCli(refused, env)).code).toBe(0);
    const lines = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({ event_id: event, ticket_id: `imp-${i}` }),
    );
    const imported = await runCli(["import", "-"], env, `${lines.join("\n")}\n`);
    expect(imported.stdout).toContain('{"imported":200,"duplicates":0}');

    const offline = await runCli(["sync", "--max-retries", "1", "--max-backoff", "0.05"], env);
    expect(offline.code).toBe(75);
    expect(offline.stderr).toMatch(/connection refused.*203 records kept for the next sync/);
    const buffer = ScanBuffer.open({ path: env.SCANNER_DB, create: false });
    expect(buffer.status()).toMatchObject({
      pending: 203,
      last_sync_at: null,
      last_error: { message: expect.stringMatching(/connection refused/) },
    });

    server = await startTestServer("sqlite", { ...AUTH_ENV, PORT: String(port) });
    const online = await runCli(["sync"], env);
    expect(online.stderr).toBe("");
    expect(online.code).toBe(0);
    expect(online.stdout).toMatch(
      /synced 203 records in 1 batch: 203 accepted, 0 duplicates, 0 rejected; outbox empty/,
    );

    const expected = {
      scan_count: 202,
      valid_scan_count: 201,
      invalid_scan_count: 1,
      invalid_attempt_count: 1,
    };
    expect(await eventCounts(server.url, event)).toMatchObject(expected);
    expect(await eventCounts(server.url, event)).toEqual(await server.rawCounts(event));
    buffer.close();
    // The server's device view: what this gate still holds after its last batch (nothing).
    const devices = await fetch(`${server.url}/stats/devices?event_id=${event}`, {
      headers: { Authorization: `Bearer ${READER}` },
    });
    expect((await devices.json()).devices).toEqual([
      expect.objectContaining({
        scanner_id: "gate-a-01",
        pending: 0,
        oldest_pending_at: null,
        app_version: APP_VERSION,
        last_batch: { items: 203, accepted: 203, duplicates: 0, rejected: 0 },
      }),
    ]);
    expect(JSON.parse((await runCli(["status", "--json"], env)).stdout)).toEqual({
      pending: 0,
      oldest_pending_at: null,
      last_sync_at: expect.any(String),
      last_error: null,
      dead_letters: 0,
    });
  });

  it("sync --watch keeps syncing as records arrive and the network comes and goes, until SIGTERM", async () => {
    server = await startTestServer("sqlite", AUTH_ENV);
    proxy = await tcpProxy(server.port);
    proxy.setDown(true);
    const db = dir.path("gate.db");
    const event = "watch";
    const env = {
      SCANNER_DB: db,
      SCANNER_ID: "gate-w-01",
      SYNC_URL: proxy.url,
      SYNC_TOKEN: await scannerToken("gate-w-01"),
    };
    const buffer = ScanBuffer.open({ path: db, scannerId: "gate-w-01" });
    try {
      // A request the network swallows whole is given up after 2 s (default 30 s).
      const watch = spawnCli(
        ["sync", "--watch", "--poll", "0.1", "--max-backoff", "0.2", "--timeout", "2"],
        env,
      );
      const done = finished(watch);
      const seen = (n: number) =>
        waitFor(
          `${n} scans on the server`,
          () => eventCounts(server?.url as string, event),
          (c) => c.scan_count === n,
        );

      fill(buffer, event, { scans: 50 });
      await new Promise((r) => setTimeout(r, 500));
      expect((await eventCounts(server.url, event)).scan_count).toBe(0);
      proxy.setDown(false);
      await seen(50);

      proxy.setDown(true);
      fill(buffer, event, { scans: 30, attempts: 5 });
      await waitFor(
        "the watcher to notice",
        () => buffer.status().last_error,
        (e) => e !== null,
      );
      proxy.setDown(false);
      await seen(80);
      await waitFor(
        "an empty outbox",
        () => buffer.status().pending,
        (n) => n === 0,
      );

      watch.kill("SIGTERM");
      const result = await done;
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/synced 85 records/);
      expect(result.stderr).toMatch(/cannot reach .*retrying in/);
      expect(await eventCounts(server.url, event)).toEqual(await server.rawCounts(event));
      expect(await eventCounts(server.url, event)).toMatchObject({
        scan_count: 80,
        invalid_attempt_count: 5,
      });
    } finally {
      buffer.close();
    }
  });
});
