// Files as schema 1 left them, built from the v1 schema text kept beside the migration:
// what devices in the field hold when they get this version.
import Database from "better-sqlite3";
import { V1_SCHEMA } from "../../src/buffer/migrate-v1.js";

export const uuidOf = (seq: number) => `0190a000-0000-7000-8000-${String(seq).padStart(12, "0")}`;
export const at = (hhmm: string) => `2026-03-01T${hhmm}:00.000Z`;

export interface V1Row {
  seq: number;
  ticket: string;
  /** When it was scanned, and recorded. */
  time: string;
  kind?: "scan" | "invalid_attempt";
}

/** A v1 file as v1 left it: rows in each table, the outbox's sequence, a sync_state. */
export function writeV1(
  path: string,
  t: {
    outbox: V1Row[];
    uploaded: (V1Row & { uploaded_at: string })[];
    dead: (V1Row & { reason: string; request_id: string; rejected_at: string })[];
    sequence: number;
  },
): void {
  const db = new Database(path);
  db.exec(V1_SCHEMA);
  db.pragma("user_version = 1");
  db.prepare(
    "INSERT INTO sync_state (id, scanner_id, created_at, last_sync_at) VALUES (1, 'gate-v1', ?, ?)",
  ).run(at("08:00"), at("13:00"));
  const columns = (r: V1Row) => {
    const kind = r.kind ?? "scan";
    const item =
      kind === "scan"
        ? {
            uuid: uuidOf(r.seq),
            event_id: "e1",
            ticket_id: r.ticket,
            scanner_id: "gate-v1",
            scan_timestamp: r.time,
            is_valid: true,
            location: `Gate ${r.seq}`,
          }
        : {
            uuid: uuidOf(r.seq),
            attempt_type: "scan",
            reason: "invalid_qr",
            event_id: "e1",
            attempt_timestamp: r.time,
          };
    const ticket = kind === "scan" ? r.ticket : null;
    return [r.seq, uuidOf(r.seq), kind, "e1", ticket, r.time, JSON.stringify(item), r.time];
  };
  const cols = "seq, uuid, kind, event_id, ticket_id, happened_at, item, recorded_at";
  for (const r of t.outbox)
    db.prepare(`INSERT INTO outbox (${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(...columns(r));
  for (const r of t.uploaded) {
    db.prepare(`INSERT INTO uploaded (${cols}, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      ...columns(r),
      r.uploaded_at,
    );
  }
  for (const r of t.dead) {
    db.prepare(
      `INSERT INTO dead_letters (${cols}, issues, request_id, rejected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      ...columns(r),
      JSON.stringify([{ path: "scan_timestamp", message: r.reason }]),
      r.request_id,
      r.rejected_at,
    );
  }
  // v1 had handed out seqs up to `sequence` (those above the rows left were purged).
  db.prepare("DELETE FROM sqlite_sequence WHERE name = 'outbox'").run();
  db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)").run(t.sequence);
  db.close();
}
