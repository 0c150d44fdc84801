// Uploaded items stay on the device only for "already scanned here?": purged by the age of
// their batch's upload and beyond a number of rows. Pending items and dead letters stay.
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScanBuffer } from "../src/index.js";
import { countItems, type TempDir, tempDir } from "./support/buffers.js";

const issues = [{ path: "scan_timestamp", message: "must not be more than 24 hours in the future" }];

describe("Outbox.purge", () => {
  let dir: TempDir;
  let now: Date;
  let buffer: ScanBuffer;
  const count = (state: Parameters<typeof countItems>[1]) => countItems(dir.path("scanner.db"), state);
  const uploadsThrough = () => {
    const db = new Database(dir.path("scanner.db"), { readonly: true });
    try {
      return db.prepare("SELECT through_seq FROM uploads ORDER BY through_seq").pluck().all();
    } finally {
      db.close();
    }
  };
  const state = (ticket: string) => buffer.lastScanOf(ticket, "e1")?.state ?? null;
  /** Records `n` scans t<from>…, then settles them as one batch, refusing the `refused` ones. */
  const uploadBatch = (from: number, n: number, refused: number[] = []) => {
    for (let i = from; i < from + n; i++) buffer.record({ event_id: "e1", ticket_id: `t${i}` });
    const batch = buffer.outbox.pending(n);
    const rejected = refused.map((i) => ({ seq: batch[i - from]?.seq as number, issues }));
    buffer.outbox.settle(batch, rejected, "req");
    return batch.at(-1)?.seq;
  };

  beforeEach(() => {
    dir = tempDir();
    now = new Date("2026-03-01T18:00:00.000Z");
    buffer = ScanBuffer.open({ path: dir.path("scanner.db"), scannerId: "gate-a-01", now: () => now });
  });
  afterEach(() => {
    buffer.close();
    dir.cleanup();
  });

  it("purges the batches uploaded before the cutoff, keeping their dead letters", () => {
    uploadBatch(0, 4, [1]);
    now = new Date("2026-03-03T18:00:00.000Z");
    const second = uploadBatch(4, 4, [6]);
    now = new Date("2026-03-05T18:00:00.000Z");
    for (let i = 8; i < 10; i++) buffer.record({ event_id: "e1", ticket_id: `t${i}` });

    expect(buffer.outbox.purge({ days: 3, rows: 100 })).toBe(3);
    expect(["t0", "t1", "t2", "t3", "t4", "t6"].map(state)).toEqual([
      null,
      "rejected",
      null,
      null,
      "uploaded",
      "rejected",
    ]);
    // The first batch's row covered only what was purged (and a dead letter, which needs no age).
    expect(uploadsThrough()).toEqual([second]);
    expect(buffer.outbox.purge({ days: 3, rows: 100 })).toBe(0);

    now = new Date("2026-03-07T18:00:00.000Z");
    expect(buffer.outbox.purge({ days: 3, rows: 100 })).toBe(3);
    expect(uploadsThrough()).toEqual([]);
    expect([count("pending"), count("uploaded"), count("dead_letters")]).toEqual([2, 0, 2]);
    expect(buffer.status()).toMatchObject({ pending: 2, dead_letters: 2 });
    expect(buffer.deadLetters().map((d) => d.item.ticket_id)).toEqual(["t1", "t6"]);
  });

  it("keeps the newest uploaded rows up to the limit, dead letters and pending ones aside", () => {
    uploadBatch(0, 4, [0]);
    const second = uploadBatch(4, 4, [7]);
    buffer.record({ event_id: "e1", ticket_id: "t8" });

    expect(buffer.outbox.purge({ days: 30, rows: 4 })).toBe(2);
    expect(["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"].map(state)).toEqual([
      "rejected",
      null,
      null,
      "uploaded",
      "uploaded",
      "uploaded",
      "uploaded",
      "rejected",
      "pending",
    ]);
    expect(buffer.outbox.purge({ days: 30, rows: 4 })).toBe(0);
    expect(buffer.outbox.purge({ days: 30, rows: 1 })).toBe(3);
    expect(state("t6")).toBe("uploaded");
    expect(uploadsThrough()).toEqual([second]);
    expect(buffer.outbox.purge({ days: 30, rows: 0 })).toBe(1);
    expect([count("pending"), count("uploaded"), count("dead_letters")]).toEqual([1, 0, 2]);
  });

  it("keeps counting right after a purge: new batches settle and purge as before", () => {
    uploadBatch(0, 3);
    buffer.outbox.purge({ days: 30, rows: 0 });
    now = new Date("2026-03-02T18:00:00.000Z");
    uploadBatch(3, 3, [4]);
    expect(buffer.status()).toMatchObject({ pending: 0, dead_letters: 1 });
    now = new Date("2026-03-09T18:00:00.000Z");
    expect(buffer.outbox.purge({ days: 3, rows: 100 })).toBe(2);
    expect([count("pending"), count("uploaded"), count("dead_letters")]).toEqual([0, 0, 1]);
  });
});
