// Settling a batch moves the watermark over it: what that confirms, what it refuses to
// confirm, and two handles on one file (a cron sync overlapping a watcher).
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PendingItem, ScanBuffer, SettleRefused } from "../src/index.js";
import { countItems, type TempDir, tempDir } from "./support/buffers.js";

const ticketsOf = (items: PendingItem[]) => items.map((i) => JSON.parse(i.json).ticket_id);
const issues = [{ path: "scan_timestamp", message: "must not be more than 24 hours in the future" }];

describe("Outbox.settle", () => {
  let dir: TempDir;
  let now: Date;
  let buffer: ScanBuffer;
  const open = () =>
    ScanBuffer.open({ path: dir.path("scanner.db"), scannerId: "gate-a-01", now: () => now });
  const count = (state: Parameters<typeof countItems>[1]) => countItems(dir.path("scanner.db"), state);
  const uploads = () => {
    const db = new Database(dir.path("scanner.db"), { readonly: true });
    try {
      return db.prepare("SELECT through_seq, uploaded_at FROM uploads ORDER BY through_seq").all();
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dir = tempDir();
    now = new Date("2026-03-01T18:00:00.000Z");
    buffer = open();
    buffer.transaction(() => {
      for (let i = 0; i < 6; i++) buffer.record({ event_id: "e1", ticket_id: `t${i}` });
    });
  });
  afterEach(() => {
    buffer.close();
    dir.cleanup();
  });

  it("confirms a batch: its items stop being pending, stay known, and one uploads row notes when", () => {
    const batch = buffer.outbox.pending(4);
    now = new Date("2026-03-01T18:02:00.000Z");
    expect(buffer.outbox.settle(batch, [{ seq: batch[2]?.seq as number, issues }], "req-1")).toEqual({
      uploaded: 3,
      deadLettered: 1,
    });
    expect(ticketsOf(buffer.outbox.pending(10))).toEqual(["t4", "t5"]);
    expect([count("pending"), count("uploaded"), count("dead_letters")]).toEqual([2, 3, 1]);
    expect(uploads()).toEqual([{ through_seq: batch[3]?.seq, uploaded_at: "2026-03-01T18:02:00.000Z" }]);
    // Replaying a settled uuid (uploaded or refused) is still a duplicate: nothing new is queued.
    const first = JSON.parse(batch[0]?.json as string);
    expect(buffer.record({ ...first, ticket_id: "changed" })).toEqual(first);
    expect(buffer.importNdjson(batch.map((i) => i.json).join("\n"))).toEqual({ imported: 0, duplicates: 4 });
    expect(buffer.status().pending).toBe(2);
  });

  it("refuses, changing nothing, to confirm items that were not in the batch", () => {
    const all = buffer.outbox.pending(6);
    const gapInside = [all[0], all[1], all[3]] as PendingItem[];
    const gapBefore = all.slice(2, 4);
    for (const sent of [gapInside, gapBefore]) {
      expect(() => buffer.outbox.settle(sent, [{ seq: sent[0]?.seq as number, issues }], "req-2")).toThrow(
        SettleRefused,
      );
    }
    expect(() => buffer.outbox.settle(gapBefore, [], null)).toThrow(
      /not sent: 4 items wait between seq 0 and 4, 2 of them were sent/,
    );
    expect(buffer.status()).toMatchObject({ pending: 6, last_sync_at: null, dead_letters: 0 });
    expect(uploads()).toEqual([]);
    // The batch as it was read still settles.
    expect(buffer.outbox.settle(all.slice(0, 2), [], null).uploaded).toBe(2);
    expect(buffer.outbox.settle(all.slice(2, 4), [], null).uploaded).toBe(2);
  });

  it("takes items recorded after a batch was read as pending, never as confirmed", () => {
    const batch = buffer.outbox.pending(6);
    buffer.record({ event_id: "e1", ticket_id: "late" });
    buffer.outbox.settle(batch, [], null);
    expect(ticketsOf(buffer.outbox.pending(10))).toEqual(["late"]);
    expect(buffer.lastScanOf("late", "e1")?.state).toBe("pending");
    expect(buffer.lastScanOf("t5", "e1")?.state).toBe("uploaded");
  });

  it("counts what waits behind batches in flight without walking the queue", () => {
    const first = buffer.outbox.pending(2);
    const second = buffer.outbox.pending(2, first[1]?.seq);
    expect(ticketsOf(second)).toEqual(["t2", "t3"]);
    expect(buffer.outbox.backlog(second[1]?.seq)).toEqual({
      pending: 2,
      oldest_pending_at: "2026-03-01T18:00:00.000Z",
    });
    buffer.outbox.settle(first, [], null);
    expect(buffer.outbox.backlog(second[1]?.seq).pending).toBe(2);
    expect(buffer.outbox.backlog().pending).toBe(4);
    buffer.outbox.settle(second, [], null);
    buffer.outbox.settle(buffer.outbox.pending(2), [], null);
    expect(buffer.outbox.backlog()).toEqual({ pending: 0, oldest_pending_at: null });
    expect(count("pending")).toBe(0);
  });

  describe("two handles on one file", () => {
    let other: ScanBuffer;
    beforeEach(() => {
      other = open();
    });
    afterEach(() => {
      other.close();
    });

    it("settle the same and overlapping batches in any order: each item confirmed once, nothing refused", () => {
      const wide = buffer.outbox.pending(4);
      const narrow = other.outbox.pending(2);
      const next = other.outbox.pending(2, narrow[1]?.seq);
      expect(other.outbox.settle(narrow, [], null)).toEqual({ uploaded: 2, deadLettered: 0 });
      // Half of it was settled by the other handle: only the rest is new.
      expect(buffer.outbox.settle(wide, [{ seq: wide[3]?.seq as number, issues }], "req-a")).toEqual({
        uploaded: 1,
        deadLettered: 1,
      });
      // Entirely settled already: changes nothing, and its refusal is already a dead letter.
      now = new Date("2026-03-01T18:09:00.000Z");
      expect(other.outbox.settle(next, [{ seq: next[1]?.seq as number, issues }], "req-b")).toEqual({
        uploaded: 0,
        deadLettered: 0,
      });
      expect(other.status()).toMatchObject({
        pending: 2,
        dead_letters: 1,
        last_sync_at: "2026-03-01T18:09:00.000Z",
      });
      expect(buffer.deadLetters()).toEqual([expect.objectContaining({ request_id: "req-a" })]);
      expect(uploads().map((u) => (u as { through_seq: number }).through_seq)).toEqual([
        narrow[1]?.seq,
        wide[3]?.seq,
      ]);
      expect([count("pending"), count("uploaded"), count("dead_letters")]).toEqual([2, 3, 1]);
      // Both read on from the same place.
      expect(ticketsOf(buffer.outbox.pending(10))).toEqual(["t4", "t5"]);
      expect(ticketsOf(other.outbox.pending(10, next[1]?.seq))).toEqual(["t4", "t5"]);
    });
  });
});
