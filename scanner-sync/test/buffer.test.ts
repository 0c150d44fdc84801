// The device's buffer on its own: what it stores, what it refuses, what it answers.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BufferUnavailable, RecordRefused, ScanBuffer } from "../src/index.js";
import { type TempDir, tempDir } from "./support/buffers.js";
import { ROOT } from "./support/paths.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("ScanBuffer", () => {
  let dir: TempDir;
  let now: Date;
  let buffer: ScanBuffer;
  const open = (scannerId = "gate-a-01") =>
    ScanBuffer.open({ path: dir.path("scanner.db"), scannerId, now: () => now });

  beforeEach(() => {
    dir = tempDir();
    now = new Date("2026-03-01T18:00:00.000Z");
    buffer = open();
  });
  afterEach(() => {
    buffer.close();
    dir.cleanup();
  });

  it("stores a scan with a UUIDv7, this scanner's id and the time, and returns it", () => {
    const scan = buffer.record({ event_id: "e1", ticket_id: "t1", location: "North Gate" });
    expect(scan).toEqual({
      uuid: expect.stringMatching(UUID_V7),
      event_id: "e1",
      ticket_id: "t1",
      scanner_id: "gate-a-01",
      scan_timestamp: "2026-03-01T18:00:00.000Z",
      is_valid: true,
      location: "North Gate",
    });
    expect(buffer.status()).toMatchObject({
      pending: 1,
      oldest_pending_at: now.toISOString(),
      dead_letters: 0,
    });
    const attempt = buffer.recordInvalidAttempt({
      attempt_type: "scan",
      reason: "expired_ticket",
      event_id: "e1",
    });
    expect(attempt).toMatchObject({
      uuid: expect.stringMatching(UUID_V7),
      attempt_timestamp: now.toISOString(),
    });
    expect(buffer.outbox.pending(10).map((i) => i.kind)).toEqual(["scan", "invalid_attempt"]);
  });

  it("opens its file for durability: WAL and synchronous = FULL", () => {
    expect(buffer.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(buffer.db.pragma("synchronous", { simple: true })).toBe(2);
  });

  it("keeps a scan whose record() returned, even when the process dies right after", async () => {
    buffer.close();
    const script = `
      import { ScanBuffer } from "./scanner-sync/src/index.ts";
      const b = ScanBuffer.open({ path: process.argv[1], scannerId: "gate-a-01" });
      const s = b.record({ event_id: "e1", ticket_id: "t-crash" });
      process.stdout.write(s.uuid, () => process.kill(process.pid, "SIGKILL"));`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script, dir.path("scanner.db")],
      {
        cwd: ROOT,
      },
    );
    let uuid = "";
    child.stdout.on("data", (d) => {
      uuid += d;
    });
    const signal = await new Promise((resolve) => child.on("close", (_code, sig) => resolve(sig)));
    expect(signal).toBe("SIGKILL");
    buffer = open();
    expect(buffer.lastScanOf("t-crash", "e1")).toMatchObject({ uuid, state: "pending" });
  });

  it("refuses, with the issues, what the server would refuse, and stores nothing", () => {
    const refused = (input: Record<string, unknown>) => {
      try {
        buffer.record(input as never);
      } catch (err) {
        expect(err).toBeInstanceOf(RecordRefused);
        return (err as RecordRefused).issues.map((i) => i.path);
      }
      throw new Error("not refused");
    };
    expect(refused({ event_id: "e1", ticket_id: " " })).toEqual(["ticket_id"]);
    expect(refused({ event_id: "e".repeat(129), ticket_id: "t" })).toEqual(["event_id"]);
    expect(
      refused({ event_id: "e1", ticket_id: "t", scan_timestamp: new Date(Date.now() + 25 * 3600_000) }),
    ).toEqual(["scan_timestamp"]);
    expect(refused({ event_id: "e1", ticket_id: "t", colour: "red" })).toEqual([""]);
    expect(refused({ event_id: "e1", ticket_id: "t", scanner_id: "gate-b-02" })).toEqual(["scanner_id"]);
    expect(
      refused({ event_id: "e1", ticket_id: "t", additional_metadata: { pad: "x".repeat(9000) } }),
    ).toEqual(["additional_metadata"]);
    expect(buffer.status().pending).toBe(0);
  });

  it("answers a replayed uuid with the stored record and stores it once", () => {
    const first = buffer.record({ event_id: "e1", ticket_id: "t1" });
    const again = buffer.record({ event_id: "e1", ticket_id: "other", uuid: first.uuid });
    expect(again).toEqual(first);
    expect(buffer.status().pending).toBe(1);
  });

  it("stores several records as one transaction: one refused, none stored", () => {
    expect(() =>
      buffer.transaction(() => {
        buffer.record({ event_id: "e1", ticket_id: "t1" });
        buffer.record({ event_id: "e1", ticket_id: "" });
      }),
    ).toThrow(RecordRefused);
    expect(buffer.status().pending).toBe(0);
  });

  it("answers 'already scanned here?' from pending, uploaded and rejected scans", () => {
    expect(buffer.lastScanOf("t1", "e1")).toBeNull();
    buffer.record({ event_id: "e1", ticket_id: "t1", location: "North Gate" });
    now = new Date("2026-03-01T18:05:00.000Z");
    const refusedAtGate = buffer.record({
      event_id: "e1",
      ticket_id: "t1",
      is_valid: false,
      location: "South Gate",
    });
    buffer.record({ event_id: "e2", ticket_id: "t1" });
    expect(buffer.lastScanOf("t1", "e1")).toMatchObject({
      uuid: refusedAtGate.uuid,
      location: "South Gate",
      is_valid: false,
      state: "pending",
    });
    expect(buffer.lastScanOf("t1", "e1", { validOnly: true })).toMatchObject({
      scan_timestamp: "2026-03-01T18:00:00.000Z",
      location: "North Gate",
      scanner_id: "gate-a-01",
    });
    const sent = buffer.outbox.pending(10);
    const second = sent.find((i) => i.uuid === refusedAtGate.uuid)?.seq as number;
    buffer.outbox.settle(sent, [{ seq: second, issues: [{ path: "x", message: "no" }] }], "req-1");
    expect(buffer.lastScanOf("t1", "e1")?.state).toBe("rejected");
    expect(buffer.lastScanOf("t1", "e1", { validOnly: true })?.state).toBe("uploaded");
  });

  it("settles a batch in one go: confirmed items uploaded, rejected ones dead-lettered with the reasons", () => {
    for (let i = 0; i < 5; i++) buffer.record({ event_id: "e1", ticket_id: `t${i}` });
    buffer.outbox.noteError("server answered 503");
    expect(buffer.status().last_error).toEqual({ at: now.toISOString(), message: "server answered 503" });
    const sent = buffer.outbox.pending(3);
    expect(sent.map((i) => JSON.parse(i.json).ticket_id)).toEqual(["t0", "t1", "t2"]);
    const issues = [{ path: "scan_timestamp", message: "must not be more than 24 hours in the future" }];
    now = new Date("2026-03-01T18:01:00.000Z");
    expect(buffer.outbox.settle(sent, [{ seq: sent[1]?.seq as number, issues }], "req-9")).toEqual({
      uploaded: 2,
      deadLettered: 1,
    });
    expect(buffer.status()).toEqual({
      pending: 2,
      oldest_pending_at: "2026-03-01T18:00:00.000Z",
      last_sync_at: "2026-03-01T18:01:00.000Z",
      last_error: null,
      dead_letters: 1,
    });
    expect(buffer.deadLetters()).toEqual([
      expect.objectContaining({ uuid: sent[1]?.uuid, kind: "scan", issues, request_id: "req-9" }),
    ]);
    expect(buffer.outbox.pending(10).map((i) => JSON.parse(i.json).ticket_id)).toEqual(["t3", "t4"]);
  });

  it("belongs to one scanner: another id, or none for a new file, is refused", () => {
    buffer.close();
    expect(() => open("gate-b-02")).toThrow(/belongs to scanner gate-a-01, not gate-b-02/);
    expect(() => ScanBuffer.open({ path: dir.path("new.db") })).toThrow(/needs this device's scanner id/);
    buffer = ScanBuffer.open({ path: dir.path("scanner.db") });
    expect(buffer.scannerId).toBe("gate-a-01");
  });

  it("says clearly when the file is missing, not a database, or not readable", () => {
    expect(() => ScanBuffer.open({ path: dir.path("missing.db"), create: false })).toThrow(
      /no scanner database at .*missing\.db/,
    );
    writeFileSync(
      dir.path("junk.db"),
      "this is not sqlite, just some text long enough to be a header".repeat(20),
    );
    expect(() => ScanBuffer.open({ path: dir.path("junk.db"), scannerId: "g" })).toThrow(
      /cannot use scanner database .*junk\.db: the file is not a SQLite database/,
    );
    expect(() => ScanBuffer.open({ path: dir.path("junk.db"), scannerId: "g" })).toThrow(BufferUnavailable);
  });

  it("refuses a file written by a newer version instead of guessing", () => {
    buffer.close();
    const db = new Database(dir.path("scanner.db"));
    db.pragma("user_version = 99");
    db.close();
    expect(() => open()).toThrow(/newer veritix-scanner/);
    buffer = ScanBuffer.open({ path: ":memory:", scannerId: "g" });
  });
});
