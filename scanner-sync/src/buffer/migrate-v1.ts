// Schema 1 → 2. Version 1 moved every confirmed item from `outbox` to `uploaded` (and
// refused ones to `dead_letters`, with the whole item); version 2 keeps every item in
// `items` and a watermark. The v1 text is kept verbatim: it is what files in the field
// hold, and what the tests build a v1 file from.
import type { SqliteDatabase } from "./database.js";
import { SCHEMA } from "./schema.js";

const v1ItemColumns = `
  seq INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('scan', 'invalid_attempt')),
  event_id TEXT,
  ticket_id TEXT,
  happened_at TEXT NOT NULL,
  item TEXT NOT NULL,
  recorded_at TEXT NOT NULL`;

export const V1_SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  scanner_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_sync_at TEXT,
  last_error TEXT,
  last_error_at TEXT
);
-- AUTOINCREMENT: a seq is never reused, so "oldest first" holds even after purges.
CREATE TABLE IF NOT EXISTS outbox (${v1ItemColumns.replace("seq INTEGER PRIMARY KEY", "seq INTEGER PRIMARY KEY AUTOINCREMENT")}
);
CREATE TABLE IF NOT EXISTS uploaded (${v1ItemColumns},
  uploaded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letters (${v1ItemColumns},
  issues TEXT NOT NULL,
  request_id TEXT,
  rejected_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_ticket ON outbox (event_id, ticket_id, happened_at) WHERE kind = 'scan';
CREATE INDEX IF NOT EXISTS uploaded_ticket ON uploaded (event_id, ticket_id, happened_at) WHERE kind = 'scan';
CREATE INDEX IF NOT EXISTS uploaded_at ON uploaded (uploaded_at);
CREATE INDEX IF NOT EXISTS dead_letters_ticket ON dead_letters (event_id, ticket_id) WHERE kind = 'scan';
`;

const COLUMNS = "seq, uuid, kind, event_id, ticket_id, happened_at, item, recorded_at";

/**
 * Runs inside the caller's transaction: all of it or nothing. Every item keeps its seq.
 *
 * The watermark is set just below the oldest outbox item (or at the top when the outbox is
 * empty). A v1 `uploaded` or `dead_letters` row above it (v1 settled a batch around an
 * item it could not confirm) then simply counts as pending and is sent again: harmless,
 * the server dedupes by uuid, and answers a refused one with the same reasons.
 */
export function migrateFromV1(db: SqliteDatabase): void {
  db.exec(`
    ALTER TABLE dead_letters RENAME TO v1_dead_letters;
    ALTER TABLE sync_state ADD COLUMN uploaded_through INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sync_state ADD COLUMN answered_rows INTEGER NOT NULL DEFAULT 0;
    ${SCHEMA}
    -- v1 never let a uuid into two tables; should an older file hold one twice anyway, the
    -- pending copy wins (it is sent, and a refusal comes back), then the dead one.
    INSERT OR IGNORE INTO items (${COLUMNS}) SELECT ${COLUMNS} FROM outbox;
    INSERT OR IGNORE INTO items (${COLUMNS}) SELECT ${COLUMNS} FROM v1_dead_letters;
    INSERT OR IGNORE INTO items (${COLUMNS}) SELECT ${COLUMNS} FROM uploaded;
    INSERT INTO dead_letters (seq, issues, request_id, rejected_at)
      SELECT d.seq, d.issues, d.request_id, d.rejected_at
      FROM v1_dead_letters d JOIN items i ON i.seq = d.seq AND i.uuid = d.uuid;
    UPDATE sync_state SET uploaded_through = coalesce(
      (SELECT min(seq) - 1 FROM outbox),
      (SELECT max(seq) FROM items),
      0
    );
    UPDATE sync_state SET answered_rows = (SELECT count(*) FROM items WHERE seq <= uploaded_through);
    -- v1 stamped each batch's rows with one uploaded_at: the batch ends at its highest seq.
    INSERT INTO uploads (through_seq, uploaded_at)
      SELECT max(seq), uploaded_at FROM uploaded
      WHERE seq <= (SELECT uploaded_through FROM sync_state)
      GROUP BY uploaded_at;
    -- The next seq stays above every seq v1 ever handed out, purged items' included.
    INSERT INTO sqlite_sequence (name, seq)
      SELECT 'items', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'items');
    UPDATE sqlite_sequence SET seq = max(
      seq,
      coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0),
      coalesce((SELECT max(seq) FROM items), 0)
    ) WHERE name = 'items';
    DROP TABLE outbox;
    DROP TABLE uploaded;
    DROP TABLE v1_dead_letters;
  `);
}
