// Scanner buffers in a temp directory, filled fast, and a back door into the outbox for
// records that local validation would never let in (what a server may still refuse).
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

/** Puts a raw item straight into the outbox, past local validation. */
export function smuggle(
  dbPath: string,
  kind: "scan" | "invalid_attempt",
  item: Record<string, unknown>,
): string {
  const uuid = uuidv7();
  const db = new Database(dbPath);
  try {
    db.prepare(
      `INSERT INTO outbox (uuid, kind, event_id, ticket_id, happened_at, item, recorded_at)
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

export function countRows(dbPath: string, table: "outbox" | "uploaded" | "dead_letters"): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
