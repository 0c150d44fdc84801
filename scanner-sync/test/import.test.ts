// NDJSON import: all lines or none, every bad line named, importing twice harmless.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ImportRefused, ScanBuffer } from "../src/index.js";
import { type TempDir, tempDir } from "./support/buffers.js";

describe("ScanBuffer.importNdjson", () => {
  let dir: TempDir;
  let buffer: ScanBuffer;
  beforeEach(() => {
    dir = tempDir();
    buffer = ScanBuffer.open({ path: dir.path("scanner.db"), scannerId: "gate-a-01" });
  });
  afterEach(() => {
    buffer.close();
    dir.cleanup();
  });

  const line = (o: Record<string, unknown>) => JSON.stringify(o);

  it("stores every line in one transaction, keeping the uuids and times it was given", () => {
    const uuid = "0190a000-0000-7000-8000-000000000001";
    const text = [
      line({ ticket_id: "t1", event_id: "e1", uuid, scan_timestamp: "2026-02-01T10:00:00Z" }),
      "",
      line({ ticket_id: "t2", event_id: "e1", scanner_id: "gate-a-01", is_valid: false }),
    ].join("\r\n");
    expect(buffer.importNdjson(`\uFEFF${text}\n`)).toEqual({ imported: 2, duplicates: 0 });
    const items = buffer.outbox.pending(10).map((i) => JSON.parse(i.json));
    expect(items[0]).toMatchObject({
      uuid,
      scan_timestamp: "2026-02-01T10:00:00.000Z",
      scanner_id: "gate-a-01",
    });
    expect(items[1]).toMatchObject({ ticket_id: "t2", is_valid: false });
  });

  it("imports the same file twice harmlessly: lines with a known uuid are duplicates", () => {
    const text = ["a", "b", "c"]
      .map((t, i) => line({ ticket_id: t, event_id: "e1", uuid: `0190a000-0000-7000-8000-00000000000${i}` }))
      .join("\n");
    expect(buffer.importNdjson(text)).toEqual({ imported: 3, duplicates: 0 });
    buffer.outbox.settle(buffer.outbox.pending(1), [], null);
    expect(buffer.importNdjson(text)).toEqual({ imported: 0, duplicates: 3 });
    expect(buffer.status().pending).toBe(2);
  });

  it("refuses the whole file when any line is bad, naming each bad line", () => {
    const text = [
      line({ ticket_id: "t1", event_id: "e1" }),
      "{not json",
      line({ ticket_id: "t3" }),
      line({ ticket_id: "t4", event_id: "e1", scanner_id: "gate-b-02" }),
      "[1, 2]",
    ].join("\n");
    let err: ImportRefused | undefined;
    try {
      buffer.importNdjson(text);
    } catch (e) {
      err = e as ImportRefused;
    }
    expect(err).toBeInstanceOf(ImportRefused);
    expect(err?.message).toMatch(/4 bad lines/);
    expect(err?.issues.map((i) => [i.line, i.path])).toEqual([
      [2, ""],
      [3, "event_id"],
      [4, "scanner_id"],
      [5, ""],
    ]);
    expect(buffer.status().pending).toBe(0);
  });
});
