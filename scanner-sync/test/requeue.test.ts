// Dead letters sent again once the cause is fixed: a device whose clock ran more than 24 h
// fast had its scans refused as "in the future".
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PendingItem, ScanBuffer } from "../src/index.js";
import { countItems, type TempDir, tempDir } from "./support/buffers.js";

const ticketsOf = (items: PendingItem[]) => items.map((i) => JSON.parse(i.json).ticket_id);
const issues = [{ path: "scan_timestamp", message: "must not be more than 24 hours in the future" }];

describe("ScanBuffer.requeueDeadLetters", () => {
  let dir: TempDir;
  let now: Date;
  let buffer: ScanBuffer;
  let refused: PendingItem[];
  const count = (state: Parameters<typeof countItems>[1]) => countItems(dir.path("scanner.db"), state);

  beforeEach(() => {
    dir = tempDir();
    now = new Date("2026-03-01T18:00:00.000Z");
    buffer = ScanBuffer.open({ path: dir.path("scanner.db"), scannerId: "gate-a-01", now: () => now });
    buffer.transaction(() => {
      for (let i = 0; i < 5; i++) buffer.record({ event_id: "e1", ticket_id: `t${i}` });
    });
    const batch = buffer.outbox.pending(5);
    refused = [batch[1], batch[3]] as PendingItem[];
    now = new Date("2026-03-01T18:05:00.000Z");
    buffer.outbox.settle(
      batch,
      refused.map((i) => ({ seq: i.seq, issues })),
      "req-1",
    );
    buffer.record({ event_id: "e1", ticket_id: "t5" });
  });
  afterEach(() => {
    buffer.close();
    dir.cleanup();
  });

  it("puts every dead letter back in the queue, behind what is pending, exactly as recorded", () => {
    expect(buffer.requeueDeadLetters()).toBe(2);
    expect(buffer.status()).toMatchObject({ pending: 3, dead_letters: 0 });
    const pending = buffer.outbox.pending(10);
    expect(ticketsOf(pending)).toEqual(["t5", "t1", "t3"]);
    // Same uuid, same wire JSON, still recorded when it was; a new place in the queue.
    expect(pending.slice(1).map(({ seq, ...rest }) => rest)).toEqual(refused.map(({ seq, ...rest }) => rest));
    expect(pending[1]?.recorded_at).toBe("2026-03-01T18:00:00.000Z");
    expect(pending[1]?.seq).toBeGreaterThan(pending[0]?.seq as number);
    expect(buffer.lastScanOf("t1", "e1")?.state).toBe("pending");
    expect([count("pending"), count("uploaded"), count("dead_letters")]).toEqual([3, 3, 0]);
    expect(buffer.requeueDeadLetters()).toBe(0);
  });

  it("requeues only the uuids named (in any case), and ignores those that are not dead letters", () => {
    const unknown = "0190a000-0000-7000-8000-0000000000ff";
    const waiting = JSON.parse(buffer.outbox.pending(1)[0]?.json as string).uuid;
    expect(buffer.requeueDeadLetters([refused[1]?.uuid.toUpperCase() as string, unknown, waiting])).toBe(1);
    expect(ticketsOf(buffer.outbox.pending(10))).toEqual(["t5", "t3"]);
    expect(buffer.deadLetters().map((d) => d.uuid)).toEqual([refused[0]?.uuid]);
    expect(buffer.requeueDeadLetters([])).toBe(0);
    expect(buffer.status()).toMatchObject({ pending: 2, dead_letters: 1 });
  });

  it("sends a requeued item like any other: accepted it is uploaded, refused again it is a dead letter again", () => {
    buffer.requeueDeadLetters();
    const again = buffer.outbox.pending(10);
    now = new Date("2026-03-03T09:00:00.000Z");
    const second = [{ path: "scan_timestamp", message: "still in the future" }];
    expect(buffer.outbox.settle(again, [{ seq: again[2]?.seq as number, issues: second }], "req-2")).toEqual({
      uploaded: 2,
      deadLettered: 1,
    });
    expect(buffer.lastScanOf("t1", "e1")?.state).toBe("uploaded");
    expect(buffer.lastScanOf("t3", "e1")?.state).toBe("rejected");
    expect(buffer.deadLetters()).toEqual([
      expect.objectContaining({
        uuid: refused[1]?.uuid,
        issues: second,
        request_id: "req-2",
        rejected_at: "2026-03-03T09:00:00.000Z",
        recorded_at: "2026-03-01T18:00:00.000Z",
      }),
    ]);
    // A replay of a requeued uuid is still a duplicate.
    expect(buffer.importNdjson(refused.map((i) => i.json).join("\n"))).toEqual({
      imported: 0,
      duplicates: 2,
    });
    expect([count("pending"), count("uploaded"), count("dead_letters")]).toEqual([0, 5, 1]);
  });
});
