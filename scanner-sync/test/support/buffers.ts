// Scanner buffers in a temp directory, filled fast, a back door into the queue for records
// that local validation would never let in (what a server may still refuse), and counts
// read from the raw tables.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { uuidv7 } from "uuidv7";
import type { ScanBuffer } from "../../src/index.js";

export interface TempDir {
  path(name: string): string;
  cleanup(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), "veritix-scanner-"));
  return { path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Mix {
  scans: number;
  /** Of those scans, every n-th is refused at the gate (is_valid: false). */
  invalidEvery?: number;
  attempts?: number;
}

/** Records a mix of scans and invalid attempts in one transaction; returns what the stats must show. */
export function fill(buffer: ScanBuffer, eventId: string, mix: Mix) {
  let invalid = 0;
  buffer.transaction(() => {
    for (let i = 0; i < mix.scans; i++) {
      const refused = mix.invalidEvery ? i % mix.invalidEvery === 0 : false;
      if (refused) invalid++;
      buffer.record({
        event_id: eventId,
        ticket_id: `t-${buffer.scannerId}-${i}`,
        is_valid: !refused,
        location: "Gate 1",
      });
    }
    for (let i = 0; i < (mix.attempts ?? 0); i++) {
      buffer.recordInvalidAttempt({ attempt_type: "scan", reason: "invalid_qr", event_id: eventId });
    }
  });
  return {
    scan_count: mix.scans,
    valid_scan_count: mix.scans - invalid,
    invalid_scan_count: invalid,
    invalid_attempt_count: mix.attempts ?? 0,
  };
}

/** Puts a raw item straight into the queue, past local validation. */
export function smuggle(
  dbPath: string,
  kind: "scan" | "invalid_attempt",
  item: Record<string, unknown>,
): string {
  const uuid = uuidv7();
  const db = new Database(dbPath);
  try {
    db.prepare(
      `INSERT INTO items (uuid, kind, event_id, ticket_id, happened_at, item, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      uuid,
      kind,
      (item.event_id as string) ?? null,
      (item.ticket_id as string) ?? null,
      new Date().toISOString(),
      JSON.stringify({ uuid, ...item }),
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
  return uuid;
}

export type ItemState = "pending" | "uploaded" | "dead_letters";

/**
 * Items in each state, counted row by row from the tables (not with the buffer's own
 * counter, which this checks too): pending above the watermark, uploaded at or below it
 * and not dead-lettered.
 */
export function countItems(dbPath: string, state: ItemState): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT
           (SELECT count(*) FROM items WHERE seq > s.uploaded_through) AS pending,
           (SELECT count(*) FROM items i WHERE seq <= s.uploaded_through
              AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.seq = i.seq)) AS uploaded,
           (SELECT count(*) FROM dead_letters) AS dead_letters,
           (SELECT count(*) FROM items WHERE seq <= s.uploaded_through) AS answered,
           s.answered_rows
         FROM sync_state s`,
      )
      .get() as Record<ItemState | "answered" | "answered_rows", number>;
    if (row.answered !== row.answered_rows) {
      throw new Error(`answered_rows is ${row.answered_rows}, but ${row.answered} rows are answered`);
    }
    return row[state];
  } finally {
    db.close();
  }
}
