// Retention on Node: purgeExpired's chunked loop, and `npm run retention` end to end.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeExpired, retentionCutoff } from "../../src/retention.js";
import { storeFailure } from "../../src/store/errors.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import type { Store } from "../../src/store/types.js";
import { batch, scanRow, transferRow } from "../support/records.js";

const NOW = new Date("2026-03-15T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

describe("retention", () => {
  const dir = mkdtempSync(join(tmpdir(), "veritix-retention-"));
  const path = join(dir, "test.db");
  let store: Store;
  beforeAll(async () => {
    store = await betterSqliteStore({ path });
  });
  const stored = async (event_id: string) => ({
    scans: (await store.listScans({ event_id, limit: 100 })).length,
    transfers: (await store.listTransfers({ event_id, limit: 100 })).length,
  });
  /** The records as if each had reached the server when it happened (they arrived just now). */
  const arrivedWhenMade = () => {
    const db = new Database(path);
    try {
      db.exec(`UPDATE ticket_scans SET received_at = scan_timestamp;
        UPDATE ticket_transfers SET received_at = transfer_timestamp;
        UPDATE invalid_attempts SET received_at = attempt_timestamp;`);
    } finally {
      db.close();
    }
  };
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps everything when no retention is configured", async () => {
    await store.insert(batch({ scans: [scanRow({ event_id: "keep", scan_timestamp: daysAgo(4000) })] }));
    expect(await purgeExpired(store, { days: undefined, now: NOW })).toEqual({
      cutoff: null,
      deleted: 0,
      chunks: 0,
      complete: true,
    });
    expect(await stored("keep")).toEqual({ scans: 1, transfers: 0 });
  });

  it("deletes in chunks until nothing older than the cutoff is left, or stops at maxChunks", async () => {
    const e = "chunks";
    const old = Array.from({ length: 7 }, (_, i) =>
      scanRow({ event_id: e, scan_timestamp: daysAgo(40 + i) }),
    );
    await store.insert(
      batch({
        scans: [...old, scanRow({ event_id: e, scan_timestamp: daysAgo(29) })],
        transfers: [transferRow({ event_id: e, transfer_timestamp: daysAgo(31) })],
      }),
    );
    // Just arrived, nothing is old enough yet; as if each had arrived when it happened, 9 are.
    expect((await purgeExpired(store, { days: 30, now: NOW })).deleted).toBe(0);
    arrivedWhenMade();
    const partial = await purgeExpired(store, { days: 30, now: NOW, chunk: 2, maxChunks: 2 });
    expect(partial).toMatchObject({ cutoff: retentionCutoff(30, NOW), chunks: 2, complete: false });
    const rest = await purgeExpired(store, { days: 30, now: NOW, chunk: 2 });
    expect(rest.complete).toBe(true);
    // The one of "keep" (4000 days old) goes too.
    expect(partial.deleted + rest.deleted).toBe(9);
    expect(await stored(e)).toEqual({ scans: 1, transfers: 0 });
    expect(await store.eventStats(e)).toMatchObject({ scan_count: 8, transfer_count: 1 });
  });

  it("stops where a Worker's request meets its query cap, keeping what it deleted, for the next run", async () => {
    const e = "capped";
    await store.insert(
      batch({
        scans: Array.from({ length: 5 }, () => scanRow({ event_id: e, scan_timestamp: daysAgo(40) })),
      }),
    );
    arrivedWhenMade();
    let calls = 0;
    const capped: Store = {
      ...store,
      purgeBefore: (cutoff, chunk) =>
        ++calls > 2 ? Promise.reject(storeFailure("too_big")) : store.purgeBefore(cutoff, chunk),
    };
    expect(await purgeExpired(capped, { days: 30, now: NOW, chunk: 2 })).toMatchObject({
      deleted: 4,
      chunks: 2,
      complete: false,
    });
    expect(await stored(e)).toEqual({ scans: 1, transfers: 0 });
    // Its first query refused: nothing done, said so.
    calls = 2;
    await expect(purgeExpired(capped, { days: 30, now: NOW, chunk: 2 })).rejects.toThrow(/smaller parts/);
  });

  it("runs as `npm run retention`, against the configured database, in one JSON line", async () => {
    const e = "cli";
    await store.insert(
      batch({ scans: [scanRow({ event_id: e, scan_timestamp: new Date("2001-01-01T00:00:00Z") })] }),
    );
    arrivedWhenMade();
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "retention"], {
      env: { ...process.env, SQLITE_PATH: path, RETENTION_DAYS: "3650", DATABASE_URL: "" },
    });
    expect(JSON.parse(stdout.trim())).toMatchObject({
      msg: "retention done",
      retention_days: 3650,
      deleted: 1,
    });
    expect(await stored(e)).toEqual({ scans: 0, transfers: 0 });
    expect((await store.eventStats(e)).scan_count).toBe(1);
  });
});
