// Many gates of one event uploading at once, on each server database: the event's stats
// are exactly what the devices recorded, and equal the raw rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbKind, startTestServer, type TestServer } from "../../test/support/server.js";
import { ScanBuffer, Uploader } from "../src/index.js";
import { fill, type TempDir, tempDir } from "./support/buffers.js";
import { AUTH_ENV, eventCounts, scannerToken } from "./support/tokens.js";

const GATES = 16;

for (const db of ["sqlite", "postgres"] as DbKind[]) {
  describe(`${GATES} gates uploading at once (${db})`, () => {
    let server: TestServer;
    let dir: TempDir;
    beforeAll(async () => {
      server = await startTestServer(db, AUTH_ENV);
      dir = tempDir();
    });
    afterAll(async () => {
      await server?.stop();
      dir?.cleanup();
    });

    it("counts every record of every gate exactly once", async () => {
      const event = `concurrent-${db}`;
      const ids = Array.from({ length: GATES }, (_, i) => `gate-${String(i + 1).padStart(2, "0")}`);
      const buffers = ids.map((id) => ScanBuffer.open({ path: dir.path(`${id}.db`), scannerId: id }));
      const expected = {
        scan_count: 0,
        valid_scan_count: 0,
        invalid_scan_count: 0,
        invalid_attempt_count: 0,
      };
      buffers.forEach((b, i) => {
        const c = fill(b, event, { scans: 250 + i * 10, invalidEvery: 7, attempts: 20 });
        for (const k of Object.keys(expected) as (keyof typeof expected)[]) expected[k] += c[k];
      });
      // Gate 1 also runs a second uploader on its own file (a cron sync overlapping a
      // watcher): both send the same items, and the server counts them once.
      const twin = ScanBuffer.open({ path: dir.path("gate-01.db") });
      const uploaders = await Promise.all(
        [...buffers, twin].map(
          async (buffer) =>
            new Uploader({
              buffer,
              url: server.url,
              token: await scannerToken(buffer.scannerId),
              batchSize: 40,
            }),
        ),
      );
      const results = await Promise.all(uploaders.map((u) => u.drain()));
      try {
        expect(results.every((r) => r.pending === 0)).toBe(true);
        expect(buffers.map((b) => b.status().pending)).toEqual(ids.map(() => 0));
        expect(await eventCounts(server.url, event)).toMatchObject(expected);
        expect(await eventCounts(server.url, event)).toEqual(await server.rawCounts(event));
      } finally {
        for (const b of [...buffers, twin]) b.close();
      }
    });
  });
}
