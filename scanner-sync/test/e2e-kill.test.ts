// Kills at any instant: the uploader (a CLI child) SIGKILLed mid-sync and restarted, and
// the server (a child) killed -9 mid-batch and restarted on the same port and file. The
// server ends with exactly what the device recorded: nothing lost, nothing twice.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/support/server.js";
import { countsQuery, numbers } from "../../test/support/stores.js";
import { ScanBuffer, Uploader } from "../src/index.js";
import { countItems, fill, type TempDir, tempDir } from "./support/buffers.js";
import { finished, runCli, spawnCli } from "./support/cli.js";
import { freePort, type ServerProcess, startServerProcess } from "./support/server-process.js";
import { AUTH_ENV, eventCounts, scannerToken } from "./support/tokens.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const randomInt = (below: number) => Math.floor(Math.random() * below);

describe("killed at any instant", () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    dir.cleanup();
  });

  describe("the uploader", () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startTestServer("sqlite", AUTH_ENV);
    });
    afterEach(async () => {
      await server.stop();
    });

    it("SIGKILLed mid-sync again and again, then restarted: exact counts, no duplicates", async () => {
      const db = dir.path("gate.db");
      const event = "kill-uploader";
      const buffer = ScanBuffer.open({ path: db, scannerId: "gate-k-01" });
      const expected = fill(buffer, event, { scans: 4000, invalidEvery: 11, attempts: 200 });
      buffer.close();
      const env = { SCANNER_DB: db, SYNC_URL: server.url, SYNC_TOKEN: await scannerToken("gate-k-01") };

      let kills = 0;
      for (let round = 0; round < 4 && countItems(db, "pending") > 0; round++) {
        const child = spawnCli(["sync", "--batch-size", "150"], env);
        const done = finished(child);
        // Kill after a random number of confirmed batches, a random moment into the next one.
        const after = 1 + randomInt(3);
        let batches = 0;
        child.stdout?.on("data", (d: Buffer) => {
          batches += (d.toString().match(/ sent \d+/g) ?? []).length;
          if (batches >= after && child.exitCode === null) {
            setTimeout(() => child.kill("SIGKILL"), randomInt(25));
          }
        });
        const r = await done;
        if (r.signal === "SIGKILL") kills++;
        else expect(r.code).toBe(0);
      }
      expect(kills).toBeGreaterThanOrEqual(2);
      expect(countItems(db, "pending")).toBeGreaterThan(0);

      const last = await runCli(["sync"], env);
      expect(last.code).toBe(0);
      expect(last.stdout).toMatch(/outbox empty/);
      expect(countItems(db, "pending")).toBe(0);
      expect(countItems(db, "uploaded")).toBe(4200);
      expect(countItems(db, "dead_letters")).toBe(0);
      expect(await eventCounts(server.url, event)).toMatchObject(expected);
      expect(await eventCounts(server.url, event)).toEqual(await server.rawCounts(event));
    });
  });

  describe("the server", () => {
    let server: ServerProcess | undefined;
    afterEach(async () => {
      await server?.kill();
    });

    it("killed -9 mid-batch and restarted on the same port: the uploader retries, counts exact", async () => {
      const port = await freePort();
      const serverEnv = { ...AUTH_ENV, SQLITE_PATH: join(dir.path("server"), "veritix.db") };
      server = await startServerProcess(port, serverEnv);
      const event = "kill-server";
      const buffer = ScanBuffer.open({ path: dir.path("gate.db"), scannerId: "gate-s-01" });
      const expected = fill(buffer, event, { scans: 5000, invalidEvery: 5, attempts: 300 });
      let batches = 0;
      const uploader = new Uploader({
        buffer,
        url: server.url,
        token: await scannerToken("gate-s-01"),
        batchSize: 1000,
        maxRetries: 1000,
        backoff: { baseMs: 20, capMs: 200 },
        onEvent: (e) => {
          if (e.type === "batch") batches++;
        },
      });
      const drained = uploader.drain();

      for (const after of [1, 3]) {
        while (batches < after) await pause(5);
        // Somewhere into the next batch: a 1000-item insert takes a few tens of milliseconds.
        await pause(randomInt(30));
        await server.kill();
        await pause(200 + randomInt(200));
        server = await startServerProcess(port, serverEnv);
      }
      const result = await drained;
      expect(result.pending).toBe(0);
      buffer.close();

      expect(await eventCounts(server.url, event)).toMatchObject(expected);
      const raw = new Database(serverEnv.SQLITE_PATH, { readonly: true });
      try {
        expect(numbers(raw.prepare(countsQuery("@e")).get({ e: event }) as Record<string, unknown>)).toEqual(
          await eventCounts(server.url, event),
        );
      } finally {
        raw.close();
      }
    });
  });
});
