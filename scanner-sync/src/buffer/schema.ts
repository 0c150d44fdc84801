// The device's tables. Every item recorded is appended to `items` once and stays where it
// is: the uploader sends oldest first and settles batches strictly in seq order, so what
// the server has answered is always a prefix of seq order, described by one watermark
// (`sync_state.uploaded_through`). Settling a batch moves the watermark instead of rows,
// whatever the batch's size. `item` is the wire JSON exactly as it will be sent, so what
// was validated is what travels.
export const SCHEMA_VERSION = 2;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  scanner_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_sync_at TEXT,
  last_error TEXT,
  last_error_at TEXT,
  -- Every item with seq <= this was answered by the server (stored, duplicate or rejected).
  uploaded_through INTEGER NOT NULL DEFAULT 0,
  -- How many rows of items have seq <= uploaded_through. Counting a range of seqs steps
  -- through every entry (~2 ms per 100k on items_seq, ~28 ms on the rows), while
  -- count(*) of a whole index only reads page headers: the pending count is count(*)
  -- minus this, kept by whatever moves the watermark or deletes answered rows.
  answered_rows INTEGER NOT NULL DEFAULT 0
);
-- AUTOINCREMENT: a seq is never reused, so a new item always lands above the watermark
-- and above every batch in flight.
CREATE TABLE IF NOT EXISTS items (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('scan', 'invalid_attempt')),
  event_id TEXT,
  ticket_id TEXT,
  happened_at TEXT NOT NULL,
  item TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
-- The server's reasons for the items it refused; the items themselves stay in items.
CREATE TABLE IF NOT EXISTS dead_letters (
  seq INTEGER PRIMARY KEY REFERENCES items (seq),
  issues TEXT NOT NULL,
  request_id TEXT,
  rejected_at TEXT NOT NULL
);
-- One row per settled batch: the items in (previous through_seq, through_seq] were
-- uploaded at uploaded_at. Age-based retention needs no timestamp per item.
CREATE TABLE IF NOT EXISTS uploads (
  through_seq INTEGER PRIMARY KEY,
  uploaded_at TEXT NOT NULL
);
-- The smallest index (a few bytes per item) is what count(*) reads: the pending count is
-- read twice per batch, with up to the retained 100k rows in the table.
CREATE INDEX IF NOT EXISTS items_seq ON items (seq);
CREATE INDEX IF NOT EXISTS items_ticket ON items (event_id, ticket_id, happened_at) WHERE kind = 'scan';
-- Retention finds the batches older than its cutoff without reading the others.
CREATE INDEX IF NOT EXISTS uploads_at ON uploads (uploaded_at);
`;
