// POST /sync and device health through the Worker inside workerd, once per database:
// per-item rejection, replays, the item and size limits, scanner tokens, exact counts.
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueScannerToken } from "../../src/auth/scanner-token.js";
import type { TestStore } from "../support/test-store.js";
import type { Backend } from "./http-suite.js";
import { d1TestStore } from "./support/d1.js";
import { neonDatabaseForFile, neonTestStore } from "./support/neon.js";
import { workerOn } from "./support/worker.js";

const KEY = "worker-sync-signing-key-0123456789abcdef";

let n = 0;
const freshEvent = () => `worker_sync_${Date.now()}_${n++}`;
const scan = (event_id: string, over: Record<string, unknown> = {}) => ({
  uuid: uuidv7(),
  ticket_id: `ticket_${n++}`,
  event_id,
  scan_timestamp: new Date(Date.now() - 60_000).toISOString(),
  is_valid: true,
  ...over,
});
const attempt = (event_id: string) => ({
  uuid: uuidv7(),
  attempt_type: "scan",
  reason: "invalid_qr",
  event_id,
});

export function workerSyncSuite(backend: Backend) {
  describe(`Worker POST /sync on ${backend}`, () => {
    const postgres = backend === "postgres" ? neonDatabaseForFile() : undefined;
    const w = workerOn({ STATS_CACHE_SECONDS: "0", SCANNER_SIGNING_KEY: KEY }, { postgres });
    let raw: TestStore;
    let gateA: string;
    beforeAll(async () => {
      raw = postgres ? await neonTestStore(postgres)() : await d1TestStore();
      gateA = await issueScannerToken("gate-a-01", KEY);
    });
    afterAll(async () => {
      await raw?.cleanup();
    });

    const sync = (body: Record<string, unknown>, token: string | null = gateA) =>
      w.call(
        "POST",
        "/sync",
        { scanner_id: "gate-a-01", sent_at: new Date().toISOString(), ...body },
        { token },
      );

    it("stores valid items with exact stats, rejects invalid ones alone, and answers a replay with duplicates", async () => {
      const e = freshEvent();
      const body = {
        scans: [scan(e), { ...scan(e), ticket_id: undefined }, scan(e, { is_valid: false })],
        invalid_attempts: [attempt(e)],
        device: {
          pending: 7,
          oldest_pending_at: new Date(Date.now() - 300_000).toISOString(),
          app_version: "1.0.0",
        },
      };
      const first = await sync(body);
      expect(first.status).toBe(200);
      const answer = await first.json<{
        accepted: number;
        duplicates: number;
        rejected: { index: number }[];
      }>();
      expect(answer).toMatchObject({ accepted: 3, duplicates: 0 });
      expect(answer.rejected.map((r) => r.index)).toEqual([1]);
      expect(await (await sync(body)).json()).toMatchObject({ accepted: 0, duplicates: 3 });
      const stats = await (await w.call("GET", `/stats?event_id=${e}`)).json<Record<string, unknown>>();
      const { event_id, last_updated, ...counts } = stats;
      expect(counts).toEqual(await raw.rawCounts(e));
      expect(counts).toMatchObject({ scan_count: 2, valid_scan_count: 1, invalid_attempt_count: 1 });
      type Devices = { devices: { total_accepted: number }[] };
      const devices = await (await w.call("GET", `/stats/devices?event_id=${e}`)).json<Devices>();
      expect(devices.devices).toMatchObject([{ scanner_id: "gate-a-01", pending: 7, app_version: "1.0.0" }]);

      // A batch naming no event still updates the device (one upsert, not two).
      const { event_id: _, ...eventless } = attempt(e);
      expect((await sync({ invalid_attempts: [eventless] })).status).toBe(200);
      const later = await (await w.call("GET", `/stats/devices?event_id=${e}`)).json<Devices>();
      expect(later.devices).toMatchObject([
        {
          scanner_id: "gate-a-01",
          pending: null,
          total_accepted: (devices.devices[0]?.total_accepted ?? Number.NaN) + 1,
          last_batch: { items: 1, accepted: 1 },
        },
      ]);
    });

    it("stores 1000 items in one request and refuses 1001 with 413", async () => {
      const e = freshEvent();
      const ok = await sync({
        scans: Array.from({ length: 1000 }, (_, i) => scan(e, { is_valid: i % 4 !== 0 })),
      });
      expect(await ok.json()).toEqual({ accepted: 1000, duplicates: 0, rejected: [] });
      expect(await raw.rawCounts(e)).toMatchObject({ scan_count: 1000, invalid_scan_count: 250 });
      const tooMany = await sync({ scans: Array.from({ length: 1001 }, () => scan(freshEvent())) });
      expect(tooMany.status).toBe(413);
    });

    it("lets a scanner token upload only for its own scanner, and refuses tokens of another key", async () => {
      const e = freshEvent();
      const other = await w.call(
        "POST",
        "/sync",
        { scanner_id: "gate-b-02", sent_at: new Date().toISOString(), scans: [scan(e)] },
        { token: gateA },
      );
      expect(other.status).toBe(403);
      expect((await w.call("POST", "/scans", scan(e), { token: gateA })).status).toBe(403);
      const rotated = await issueScannerToken("gate-a-01", "another-signing-key-0123456789abcdef");
      expect((await sync({ scans: [scan(e)] }, rotated)).status).toBe(401);
      expect((await sync({ scans: [scan(e)] }, "reader")).status).toBe(403);
      expect((await sync({ scans: [scan(e)] }, "ingest")).status).toBe(200);
      expect((await raw.rawCounts(e)).scan_count).toBe(1);
    });
  });
}
