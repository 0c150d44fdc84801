// The device's tables. `outbox` holds what the server has not confirmed yet, oldest first
// by `seq`; confirmed items move to `uploaded`, kept a while for "already scanned here?";
// items the server refused move to `dead_letters` with its reasons. `item` is the wire
// JSON exactly as it will be sent, so what was validated is what travels.
export const SCHEMA_VERSION = 1;

const itemColumns = `
  seq INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('scan', 'invalid_attempt')),
  event_id TEXT,
  ticket_id TEXT,
  happened_at TEXT NOT NULL,
  item TEXT NOT NULL,
  recorded_at TEXT NOT NULL`;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  scanner_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_sync_at TEXT,
  last_error TEXT,
  last_error_at TEXT
);
-- AUTOINCREMENT: a seq is never reused, so "oldest first" holds even after purges.
CREATE TABLE IF NOT EXISTS outbox (${itemColumns.replace("seq INTEGER PRIMARY KEY", "seq INTEGER PRIMARY KEY AUTOINCREMENT")}
);
CREATE TABLE IF NOT EXISTS uploaded (${itemColumns},
  uploaded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letters (${itemColumns},
  issues TEXT NOT NULL,
  request_id TEXT,
  rejected_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_ticket ON outbox (event_id, ticket_id, happened_at) WHERE kind = 'scan';
CREATE INDEX IF NOT EXISTS uploaded_ticket ON uploaded (event_id, ticket_id, happened_at) WHERE kind = 'scan';
CREATE INDEX IF NOT EXISTS uploaded_at ON uploaded (uploaded_at);
CREATE INDEX IF NOT EXISTS dead_letters_ticket ON dead_letters (event_id, ticket_id) WHERE kind = 'scan';
`;
