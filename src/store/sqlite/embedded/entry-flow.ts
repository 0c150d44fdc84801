// The entry-flow aggregates on the better-sqlite3 writer: for the rows a transaction has
// just stored, each ticket's upsert (which moves its first entry, ../../entry-flow.ts),
// then every aggregate row's increments, summed here and bound as values: one upsert per
// row touched, not per record.
import type Database from "better-sqlite3";
import { KINDS, type Kind } from "../../columns.js";
import { FLOW_TABLES, type FlowTable, NO_KEY } from "../../entry-flow.js";
import type { EncodedRow } from "../batch-sql.js";
import { flowUpsertSql, ticketUpsertSql } from "../entry-flow-sql.js";

const at = (kind: Kind, column: string) => Object.keys(KINDS[kind].columns).indexOf(column);
const SCAN = {
  uuid: at("scans", "uuid"),
  ticket: at("scans", "ticket_id"),
  event: at("scans", "event_id"),
  scanner: at("scans", "scanner_id"),
  time: at("scans", "scan_timestamp"),
  valid: at("scans", "is_valid"),
  location: at("scans", "location"),
};
const ATTEMPT = {
  event: at("invalidAttempts", "event_id"),
  time: at("invalidAttempts", "attempt_timestamp"),
};

const minuteOf = (ms: number) => ms - (ms % 60_000);
// Keys of the JS maps: no stored text holds NUL (records refuse it).
const SEP = "\u0000";

type TicketRow = {
  event_id: string;
  valid_scans: number;
  first_at: number;
  first_location: string;
  first_scanner_id: string;
  moved_from_at: number | null;
  moved_from_location: string | null;
  moved_from_scanner_id: string | null;
};

/** One aggregate table's rows touched by a batch: key values, then the sums in FLOW_TABLES order. */
class Sums {
  readonly rows = new Map<string, unknown[]>();
  constructor(readonly table: FlowTable) {}
  add(key: unknown[], values: number[]): void {
    const id = key.join(SEP);
    const row = this.rows.get(id);
    if (!row) {
      this.rows.set(id, [...key, ...values]);
      return;
    }
    const width = key.length;
    FLOW_TABLES[this.table].values.forEach((name, i) => {
      const v = values[i] as number;
      const old = row[width + i] as number;
      row[width + i] = name === "last_scan_at" ? Math.max(old, v) : old + v;
    });
  }
}

export function entryFlowWriter(statement: (text: string) => Database.Statement) {
  const upsertTicket = () => statement(ticketUpsertSql());
  const flush = (sums: Sums) => {
    if (sums.rows.size === 0) return;
    const upsert = statement(flowUpsertSql(sums.table));
    for (const row of sums.rows.values()) upsert.run(row);
  };

  function scans(fresh: EncodedRow[]): void {
    const gateMinutes = new Sums("gate_minutes");
    const eventMinutes = new Sums("event_minutes");
    const gateScanners = new Sums("gate_scanners");
    /**
     * At a scan's minute, gate and scanner: entries (+1 on, -1 off), valid and invalid scans.
     * An entry's change carries its scan's time, a scan seen there.
     */
    const add = (
      event: string,
      location: string,
      scanner: string,
      time: number,
      counts: [number, number, number],
    ) => {
      const minute = minuteOf(time);
      gateMinutes.add([event, location, scanner, minute], counts);
      eventMinutes.add([event, minute], [...counts, 0]);
      gateScanners.add([event, location, scanner], [...counts, time]);
    };
    // This batch's valid scans per ticket: how many, and the earliest (own time, then uuid).
    const tickets = new Map<string, { first: EncodedRow; n: number }>();
    for (const row of fresh) {
      const event = row[SCAN.event] as string;
      const valid = row[SCAN.valid] === 1;
      const location = (row[SCAN.location] as string | null) ?? NO_KEY;
      const scanner = (row[SCAN.scanner] as string | null) ?? NO_KEY;
      add(event, location, scanner, row[SCAN.time] as number, valid ? [0, 1, 0] : [0, 0, 1]);
      if (!valid) continue;
      const id = event + SEP + (row[SCAN.ticket] as string);
      const seen = tickets.get(id);
      if (!seen) tickets.set(id, { first: row, n: 1 });
      else {
        seen.n++;
        const [t, f] = [row[SCAN.time] as number, seen.first[SCAN.time] as number];
        if (t < f || (t === f && (row[SCAN.uuid] as string) < (seen.first[SCAN.uuid] as string)))
          seen.first = row;
      }
    }
    const upsert = upsertTicket();
    for (const { first, n } of tickets.values()) {
      const te = upsert.get([
        first[SCAN.event],
        first[SCAN.ticket],
        first[SCAN.time],
        first[SCAN.uuid],
        first[SCAN.location] ?? NO_KEY,
        first[SCAN.scanner] ?? NO_KEY,
        n,
      ]) as TicketRow;
      const moved = te.moved_from_at !== null;
      // A new ticket (its count is this batch's alone) or an earlier first entry: one comes on...
      if (te.valid_scans === n || moved)
        add(te.event_id, te.first_location, te.first_scanner_id, te.first_at, [1, 0, 0]);
      // ...and where the displaced one was, one comes off.
      if (moved)
        add(
          te.event_id,
          te.moved_from_location ?? NO_KEY,
          te.moved_from_scanner_id ?? NO_KEY,
          te.moved_from_at as number,
          [-1, 0, 0],
        );
    }
    flush(gateMinutes);
    flush(eventMinutes);
    flush(gateScanners);
  }

  function attempts(fresh: EncodedRow[]): void {
    const eventMinutes = new Sums("event_minutes");
    for (const row of fresh) {
      const event = row[ATTEMPT.event] as string | null;
      // An invalid attempt has no gate; those naming an event count in its minute.
      if (event !== null) eventMinutes.add([event, minuteOf(row[ATTEMPT.time] as number)], [0, 0, 0, 1]);
    }
    flush(eventMinutes);
  }

  /** Adds what the rows a transaction just stored (`fresh`) change, in that transaction. */
  return (kind: Kind, fresh: EncodedRow[]): void => {
    if (fresh.length === 0) return;
    if (kind === "scans") scans(fresh);
    else if (kind === "invalidAttempts") attempts(fresh);
  };
}
