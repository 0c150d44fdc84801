// A file written by schema 1 (outbox, uploaded, dead_letters with whole items), built from
// the v1 schema text, opened by this version: migrated at once, with nothing lost.
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BufferUnavailable, ScanBuffer } from "../src/index.js";
import { countItems, type TempDir, tempDir } from "./support/buffers.js";
import { at, uuidOf, writeV1 } from "./support/v1-file.js";

describe("schema 1 → 2", () => {
  let dir: TempDir;
  let path: string;
  let now: Date;
  const open = () => ScanBuffer.open({ path, now: () => now });
  const raw = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(path, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const tables = () =>
    raw((db) =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(),
    );

  beforeEach(() => {
    dir = tempDir();
    path = dir.path("gate.db");
    now = new Date("2026-03-02T09:00:00.000Z");
  });
  afterEach(() => dir.cleanup());

  /** Uploaded 1-4 and 9, refused 5 and 11, 6 purged, pending 7, 8, 10; the outbox handed out up to 14. */
  const v1File = () =>
    writeV1(path, {
      uploaded: [
        { seq: 1, ticket: "t1", time: at("10:00"), uploaded_at: at("10:01") },
        { seq: 2, ticket: "t2", time: at("10:00"), uploaded_at: at("10:01") },
        { seq: 3, ticket: "t3", time: at("10:30"), uploaded_at: at("10:31") },
        { seq: 4, ticket: "", time: at("10:30"), uploaded_at: at("10:31"), kind: "invalid_attempt" },
        // Above the oldest pending item: v1 confirmed a batch around it.
        { seq: 9, ticket: "t9", time: at("11:30"), uploaded_at: at("11:31") },
      ],
      dead: [
        {
          seq: 5,
          ticket: "t5",
          time: at("10:40"),
          reason: "in the future",
          request_id: "r-5",
          rejected_at: at("10:41"),
        },
        {
          seq: 11,
          ticket: "t11",
          time: at("11:40"),
          reason: "in the future",
          request_id: "r-11",
          rejected_at: at("11:41"),
        },
      ],
      outbox: [
        { seq: 7, ticket: "t7", time: at("11:00") },
        { seq: 8, ticket: "t1", time: at("12:00") },
        { seq: 10, ticket: "t10", time: at("11:35") },
      ],
      sequence: 14,
    });

  it("keeps every item in its place: pending from the oldest outbox item on, reasons and upload times kept", () => {
    v1File();
    const buffer = open();
    try {
      expect(raw((db) => db.pragma("user_version", { simple: true }))).toBe(2);
      expect(tables()).toEqual(["dead_letters", "items", "sqlite_sequence", "sync_state", "uploads"]);
      expect(buffer.scannerId).toBe("gate-v1");
      expect(buffer.outbox.pending(10).map((i) => i.seq)).toEqual([7, 8, 9, 10, 11]);
      expect(buffer.status()).toEqual({
        pending: 5,
        oldest_pending_at: at("11:00"),
        last_sync_at: at("13:00"),
        last_error: null,
        dead_letters: 2,
      });
      expect(
        buffer
          .deadLetters()
          .map((d) => [d.uuid, d.item.ticket_id, d.issues[0]?.message, d.request_id, d.rejected_at]),
      ).toEqual([
        [uuidOf(5), "t5", "in the future", "r-5", at("10:41")],
        [uuidOf(11), "t11", "in the future", "r-11", at("11:41")],
      ]);
      expect(
        ["t1", "t2", "t3", "t5", "t7", "t9", "t11"].map((t) => buffer.lastScanOf(t, "e1")?.state),
      ).toEqual(["pending", "uploaded", "uploaded", "rejected", "pending", "pending", "pending"]);
      expect(buffer.lastScanOf("t1", "e1")).toMatchObject({ uuid: uuidOf(8), location: "Gate 8" });
      expect(raw((db) => db.prepare("SELECT through_seq, uploaded_at FROM uploads").all())).toEqual([
        { through_seq: 2, uploaded_at: at("10:01") },
        { through_seq: 4, uploaded_at: at("10:31") },
      ]);
      expect([
        countItems(path, "pending"),
        countItems(path, "uploaded"),
        countItems(path, "dead_letters"),
      ]).toEqual([5, 4, 2]);

      // A new record lands above every seq v1 handed out; known uuids stay duplicates.
      buffer.record({ event_id: "e1", ticket_id: "t-new" });
      expect(buffer.outbox.pending(10).map((i) => i.seq)).toEqual([7, 8, 9, 10, 11, 15]);
      expect(buffer.record({ event_id: "e1", ticket_id: "changed", uuid: uuidOf(2) }).ticket_id).toBe("t2");
      expect(buffer.status().pending).toBe(6);

      // Sent again and accepted this time: the stale reasons of 11 go; 5 stays a dead letter.
      now = new Date("2026-03-04T10:00:00.000Z");
      buffer.outbox.settle(buffer.outbox.pending(10), [], "r-new");
      expect(buffer.status()).toMatchObject({ pending: 0, dead_letters: 1 });
      expect(buffer.lastScanOf("t11", "e1")?.state).toBe("uploaded");
      // Retention reads the v1 upload times.
      now = new Date("2026-03-04T11:00:00.000Z");
      expect(buffer.outbox.purge({ days: 2, rows: 100 })).toBe(4);
      expect(buffer.lastScanOf("t2", "e1")).toBeNull();
      expect(buffer.lastScanOf("t5", "e1")?.state).toBe("rejected");
    } finally {
      buffer.close();
    }
  });

  it("with an empty outbox, everything was answered: nothing pending, new records above the old sequence", () => {
    writeV1(path, {
      uploaded: [1, 2, 3].map((seq) => ({
        seq,
        ticket: `t${seq}`,
        time: at("10:00"),
        uploaded_at: at("10:01"),
      })),
      dead: [],
      outbox: [],
      sequence: 5,
    });
    const buffer = open();
    try {
      expect(buffer.status()).toMatchObject({ pending: 0, oldest_pending_at: null, dead_letters: 0 });
      expect(buffer.lastScanOf("t3", "e1")?.state).toBe("uploaded");
      buffer.record({ event_id: "e1", ticket_id: "t-new" });
      expect(buffer.outbox.pending(10).map((i) => i.seq)).toEqual([6]);
      expect(countItems(path, "uploaded")).toBe(3);
    } finally {
      buffer.close();
    }
  });

  it("migrates all or nothing: a failure midway leaves the v1 file as it was", () => {
    v1File();
    const db = new Database(path);
    db.exec("CREATE TRIGGER refuse BEFORE UPDATE ON sync_state BEGIN SELECT RAISE(ABORT, 'refused'); END");
    db.close();
    expect(open).toThrow(BufferUnavailable);
    expect(raw((d) => d.pragma("user_version", { simple: true }))).toBe(1);
    expect(tables()).toEqual(["dead_letters", "outbox", "sqlite_sequence", "sync_state", "uploaded"]);
    expect(
      raw((d) =>
        d
          .prepare(
            "SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM uploaded) + (SELECT count(*) FROM dead_letters)",
          )
          .pluck()
          .get(),
      ),
    ).toBe(10);

    const fix = new Database(path);
    fix.exec("DROP TRIGGER refuse");
    fix.close();
    const buffer = open();
    expect(buffer.status()).toMatchObject({ pending: 5, dead_letters: 2 });
    buffer.close();
  });

  it("creates a new file at schema 2 directly", () => {
    ScanBuffer.open({ path, scannerId: "gate-new" }).close();
    expect(raw((db) => db.pragma("user_version", { simple: true }))).toBe(2);
    expect(tables()).toEqual(["dead_letters", "items", "sqlite_sequence", "sync_state", "uploads"]);
  });
});
