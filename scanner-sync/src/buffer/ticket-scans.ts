// What this device knows of one ticket, from its own scans: the latest one (`last-scan`),
// and its valid ones (the admission check's answer when the server cannot give one).
// Uploaded scans are kept only as long as retention allows (retention.ts).
import type { ScanItem } from "../wire.js";
import type { SqliteDatabase } from "./database.js";
import type { LastScan, LocalAdmission } from "./types.js";

// pending above the watermark, else rejected with the server's reasons, else uploaded.
const STATE = `CASE WHEN i.seq > (SELECT uploaded_through FROM sync_state) THEN 'pending'
                    WHEN d.seq IS NOT NULL THEN 'rejected' ELSE 'uploaded' END AS state`;
const OF_TICKET = `FROM items i LEFT JOIN dead_letters d ON d.seq = i.seq
                   WHERE i.kind = 'scan' AND i.event_id = @e AND i.ticket_id = @t`;
const VALID = "AND json_extract(i.item, '$.is_valid') = 1";

function statements(db: SqliteDatabase) {
  const last = (validOnly: boolean) =>
    db.prepare(
      `SELECT i.item, ${STATE} ${OF_TICKET} ${validOnly ? VALID : ""}
       ORDER BY i.happened_at DESC, i.seq DESC LIMIT 1`,
    );
  // The first valid scan in the server's order (own time, then uuid), and how many there
  // are: the window counts every row before LIMIT keeps one.
  const first = (pendingOnly: boolean) =>
    db.prepare(
      `SELECT i.item, ${STATE}, count(*) OVER () AS valid_scans ${OF_TICKET} ${VALID}
         ${pendingOnly ? "AND i.seq > (SELECT uploaded_through FROM sync_state)" : ""}
       ORDER BY i.happened_at, i.uuid LIMIT 1`,
    );
  return { last: last(false), lastValid: last(true), first: first(false), firstPending: first(true) };
}

type Row = { item: string; state: LastScan["state"] };

function toScan(row: Row): LastScan {
  const s = JSON.parse(row.item) as ScanItem;
  return {
    uuid: s.uuid,
    ticket_id: s.ticket_id,
    event_id: s.event_id,
    scan_timestamp: s.scan_timestamp,
    is_valid: s.is_valid,
    location: s.location ?? null,
    scanner_id: s.scanner_id,
    state: row.state,
  };
}

export class TicketScans {
  private readonly s: ReturnType<typeof statements>;

  constructor(db: SqliteDatabase) {
    this.s = statements(db);
  }

  last(ticketId: string, eventId: string, validOnly: boolean): LastScan | null {
    const row = (validOnly ? this.s.lastValid : this.s.last).get({ e: eventId, t: ticketId }) as
      | Row
      | undefined;
    return row ? toScan(row) : null;
  }

  admission(ticketId: string, eventId: string, pendingOnly: boolean): LocalAdmission {
    const row = (pendingOnly ? this.s.firstPending : this.s.first).get({ e: eventId, t: ticketId }) as
      | (Row & { valid_scans: number })
      | undefined;
    return row ? { valid_scans: row.valid_scans, first: toScan(row) } : { valid_scans: 0, first: null };
  }
}
