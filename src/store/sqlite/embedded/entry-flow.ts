// The entry-flow aggregates on the better-sqlite3 writer: for the rows a transaction has
// just stored, each ticket's upsert (which moves its first entry, ../../entry-flow.ts),
// then every aggregate row's increments, summed here and bound as values: one upsert per
// row touched, not per record. This runs on the writer thread for every scan, so it keeps
// one map entry per (event, gate, scanner, minute) touched and rolls the others up from it.
// Transfers keep theirs the same way: per reason and per ticket.
import type Database from "better-sqlite3";
import { KINDS, type Kind } from "../../columns.js";
import { NO_KEY } from "../../entry-flow.js";
import {
  type BurstKeyKind,
  type ChainItem,
  INVALID_SCAN_REASON,
  transferTicketsUpsert,
} from "../../signals.js";
import type { EncodedRow } from "../batch-sql.js";
import { flowUpsertSql, ticketInsertSql, ticketUpsertSql } from "../entry-flow-sql.js";

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
const TRANSFER = {
  uuid: at("transfers", "uuid"),
  event: at("transfers", "event_id"),
  ticket: at("transfers", "ticket_id"),
  reason: at("transfers", "transfer_reason"),
  ok: at("transfers", "is_successful"),
  time: at("transfers", "transfer_timestamp"),
  from: at("transfers", "from_user_id"),
  to: at("transfers", "to_user_id"),
};
const ATTEMPT = {
  event: at("invalidAttempts", "event_id"),
  time: at("invalidAttempts", "attempt_timestamp"),
  ticket: at("invalidAttempts", "ticket_id"),
  ip: at("invalidAttempts", "ip_address"),
  reason: at("invalidAttempts", "reason"),
};

/** One ticket's transfers of a batch: event, ticket, successful, failed, its chain items as JSON. */
const TRANSFER_TICKET_SQL = transferTicketsUpsert(
  "sqlite",
  "(SELECT ? AS event_id, ? AS ticket_id, ? AS successful, ? AS failed, ? AS chain)",
);

const minuteOf = (ms: number) => ms - (ms % 60_000);
// Keys of the JS maps: no stored text holds NUL (records refuse it).
const SEP = "\u0000";

/** What the ticket upsert answers (TICKET_ENTRY_RETURNING, as an array). */
type TicketRow = [
  event_id: string,
  ticket_id: string,
  valid_scans: number,
  first_at: number,
  first_location: string,
  first_scanner_id: string,
  moved_from_at: number | null,
  moved_from_location: string | null,
  moved_from_scanner_id: string | null,
];

/** One (event, gate, scanner, minute)'s changes: entries on and off, valid and invalid scans, latest scan. */
interface Cell {
  event: string;
  location: string;
  scanner: string;
  minute: number;
  entries: number;
  valid: number;
  invalid: number;
  last: number;
}

/** The cells a batch touched, keyed by (event, gate, scanner, minute). */
class Cells {
  readonly all = new Map<string, Cell>();
  at(event: string, location: string, scanner: string, time: number): Cell {
    const minute = minuteOf(time);
    const key = event + SEP + location + SEP + scanner + SEP + minute;
    let cell = this.all.get(key);
    if (!cell) {
      cell = { event, location, scanner, minute, entries: 0, valid: 0, invalid: 0, last: time };
      this.all.set(key, cell);
    } else if (time > cell.last) cell.last = time;
    return cell;
  }
}

/** Scan `a` comes before `b`: own time, then uuid. */
const before = (a: EncodedRow, b: EncodedRow): boolean => {
  const [ta, tb] = [a[SCAN.time] as number, b[SCAN.time] as number];
  return ta < tb || (ta === tb && (a[SCAN.uuid] as string) < (b[SCAN.uuid] as string));
};

/** A batch's valid scans of one ticket: how many, and the earliest two. */
interface TicketScans {
  first: EncodedRow;
  second: EncodedRow | null;
  n: number;
}

/** The invalid records per (event, key, minute), in all and per reason (../../signals.ts, burstDeltas). */
class Bursts {
  readonly keys = new Map<string, [string, string, string, number, number]>();
  readonly reasons = new Map<string, [string, string, string, number, string, number]>();
  add(event: string, keyKind: BurstKeyKind, key: string, time: number, reason: string): void {
    const minute = minuteOf(time);
    const id = event + SEP + keyKind + SEP + key + SEP + minute;
    const k = this.keys.get(id);
    if (k) k[4]++;
    else this.keys.set(id, [event, keyKind, key, minute, 1]);
    const r = this.reasons.get(id + SEP + reason);
    if (r) r[5]++;
    else this.reasons.set(id + SEP + reason, [event, keyKind, key, minute, reason, 1]);
  }
}

export function entryFlowWriter(statement: (text: string) => Database.Statement) {
  // Most scans admit a ticket not seen before: a plain insert, whose `changes` says so.
  // Only a ticket already admitted takes the upsert, whose RETURNING (which measured 1.8x
  // the insert's cost) says where its entry moved. Raw: rows as arrays, built faster.
  const ticketInsert = () => statement(ticketInsertSql());
  const ticketUpsert = () => statement(ticketUpsertSql()).raw(true);

  /** Each cell into gate_minutes, and rolled up into event_minutes and gate_scanners. */
  function flush(cells: Cells): void {
    const minutes = new Map<string, [string, number, number, number, number, number]>();
    const scanners = new Map<string, [string, string, string, number, number, number, number]>();
    const gateMinute = statement(flowUpsertSql("gate_minutes"));
    for (const c of cells.all.values()) {
      gateMinute.run(c.event, c.location, c.scanner, c.minute, c.entries, c.valid, c.invalid);
      const m = minutes.get(c.event + SEP + c.minute);
      if (m) {
        m[2] += c.entries;
        m[3] += c.valid;
        m[4] += c.invalid;
      } else minutes.set(c.event + SEP + c.minute, [c.event, c.minute, c.entries, c.valid, c.invalid, 0]);
      const key = c.event + SEP + c.location + SEP + c.scanner;
      const s = scanners.get(key);
      if (s) {
        s[3] += c.entries;
        s[4] += c.valid;
        s[5] += c.invalid;
        if (c.last > s[6]) s[6] = c.last;
      } else scanners.set(key, [c.event, c.location, c.scanner, c.entries, c.valid, c.invalid, c.last]);
    }
    const eventMinute = statement(flowUpsertSql("event_minutes"));
    for (const m of minutes.values()) eventMinute.run(m);
    const gateScanner = statement(flowUpsertSql("gate_scanners"));
    for (const s of scanners.values()) gateScanner.run(s);
  }

  function flushBursts(bursts: Bursts): void {
    if (bursts.keys.size === 0) return;
    const keys = statement(flowUpsertSql("burst_keys"));
    for (const k of bursts.keys.values()) keys.run(k);
    const reasons = statement(flowUpsertSql("burst_reasons"));
    for (const r of bursts.reasons.values()) reasons.run(r);
  }

  function scans(fresh: EncodedRow[], receivedAt: number): void {
    const cells = new Cells();
    const bursts = new Bursts();
    // This batch's valid scans per ticket: how many, and the earliest two (own time, then uuid).
    const tickets = new Map<string, TicketScans>();
    for (const row of fresh) {
      const event = row[SCAN.event] as string;
      const time = row[SCAN.time] as number;
      const cell = cells.at(
        event,
        (row[SCAN.location] as string | null) ?? NO_KEY,
        (row[SCAN.scanner] as string | null) ?? NO_KEY,
        time,
      );
      if (row[SCAN.valid] !== 1) {
        cell.invalid++;
        const scanner = row[SCAN.scanner] as string | null;
        if (scanner !== null) bursts.add(event, "scanner_id", scanner, time, INVALID_SCAN_REASON);
        bursts.add(event, "ticket_id", row[SCAN.ticket] as string, time, INVALID_SCAN_REASON);
        continue;
      }
      cell.valid++;
      const id = event + SEP + (row[SCAN.ticket] as string);
      const seen = tickets.get(id);
      if (!seen) tickets.set(id, { first: row, second: null, n: 1 });
      else {
        seen.n++;
        if (before(row, seen.first)) {
          seen.second = seen.first;
          seen.first = row;
        } else if (seen.second === null || before(row, seen.second)) seen.second = row;
      }
    }
    const [insert, upsert] = [ticketInsert(), ticketUpsert()];
    const doubles = new Map<string, number>();
    for (const { first, second, n } of tickets.values()) {
      const location = (first[SCAN.location] as string | null) ?? NO_KEY;
      const scanner = (first[SCAN.scanner] as string | null) ?? NO_KEY;
      const values = [
        first[SCAN.event],
        first[SCAN.ticket],
        first[SCAN.time],
        first[SCAN.uuid],
        location,
        scanner,
        n,
        receivedAt,
        ...(second === null
          ? [null, null, null, null, null]
          : [
              second[SCAN.time],
              second[SCAN.uuid],
              (second[SCAN.location] as string | null) ?? NO_KEY,
              (second[SCAN.scanner] as string | null) ?? NO_KEY,
              receivedAt,
            ]),
      ];
      // Admitted now: its entry comes on where this batch's earliest scan was.
      if (insert.run(values).changes === 1) {
        cells.at(first[SCAN.event] as string, location, scanner, first[SCAN.time] as number).entries++;
        if (n >= 2)
          doubles.set(first[SCAN.event] as string, (doubles.get(first[SCAN.event] as string) ?? 0) + 1);
        continue;
      }
      const [
        event,
        ,
        validScans,
        firstAt,
        firstLocation,
        firstScanner,
        movedAt,
        movedLocation,
        movedScanner,
      ] = upsert.get(values) as TicketRow;
      // Its valid scans reached two now: one more double entry.
      if (validScans >= 2 && validScans - n < 2) doubles.set(event, (doubles.get(event) ?? 0) + 1);
      if (movedAt === null) continue;
      // An earlier first entry: one comes on...
      cells.at(event, firstLocation, firstScanner, firstAt).entries++;
      // ...and where the displaced one was, one comes off. An entry carries its scan's time:
      // a scan seen there.
      cells.at(event, movedLocation ?? NO_KEY, movedScanner ?? NO_KEY, movedAt).entries--;
    }
    flush(cells);
    if (doubles.size > 0) {
      const signals = statement(flowUpsertSql("event_signals"));
      for (const [event, n] of doubles) signals.run(event, n);
    }
    flushBursts(bursts);
  }

  function attempts(fresh: EncodedRow[]): void {
    const minutes = new Map<string, [string, number, number, number, number, number]>();
    const bursts = new Bursts();
    for (const row of fresh) {
      const event = row[ATTEMPT.event] as string | null;
      // An invalid attempt has no gate; those naming an event count in its minute.
      if (event === null) continue;
      const time = row[ATTEMPT.time] as number;
      const minute = minuteOf(time);
      const m = minutes.get(event + SEP + minute);
      if (m) m[5]++;
      else minutes.set(event + SEP + minute, [event, minute, 0, 0, 0, 1]);
      const [ip, ticket, reason] = [row[ATTEMPT.ip], row[ATTEMPT.ticket], row[ATTEMPT.reason] as string];
      if (ip !== null) bursts.add(event, "ip_address", ip as string, time, reason);
      if (ticket !== null) bursts.add(event, "ticket_id", ticket as string, time, reason);
    }
    const upsert = statement(flowUpsertSql("event_minutes"));
    for (const m of minutes.values()) upsert.run(m);
    flushBursts(bursts);
  }

  /** Transfers per reason and per ticket: one upsert per row touched (../../entry-flow.ts, transferDeltas). */
  function transfers(fresh: EncodedRow[]): void {
    const reasons = new Map<string, [string, number, string, number, number]>();
    const tickets = new Map<string, [string, string, number, number, ChainItem[]]>();
    for (const row of fresh) {
      const event = row[TRANSFER.event] as string;
      const reason = row[TRANSFER.reason] as string | null;
      const ok = row[TRANSFER.ok] === 1 ? 1 : 0;
      // No reason and the empty reason are two keys: the flag tells them apart.
      const rKey = event + SEP + (reason === null ? "1" : `0${reason}`);
      const r = reasons.get(rKey) ?? [event, reason === null ? 1 : 0, reason ?? "", 0, 0];
      r[ok ? 3 : 4]++;
      reasons.set(rKey, r);
      const ticket = row[TRANSFER.ticket] as string;
      const tKey = event + SEP + ticket;
      const t = tickets.get(tKey) ?? [event, ticket, 0, 0, []];
      t[ok ? 2 : 3]++;
      if (ok)
        t[4].push([
          row[TRANSFER.time] as number,
          row[TRANSFER.uuid] as string,
          row[TRANSFER.from] as string,
          row[TRANSFER.to] as string,
        ]);
      tickets.set(tKey, t);
    }
    const byReason = statement(flowUpsertSql("transfer_reasons"));
    for (const r of reasons.values()) byReason.run(r);
    // The upsert sorts and merges the chain (../../signals.ts); its items go in as they came.
    const byTicket = statement(TRANSFER_TICKET_SQL);
    for (const [event, ticket, ok, failed, chain] of tickets.values())
      byTicket.run(event, ticket, ok, failed, JSON.stringify(chain));
  }

  /** Adds what the rows a transaction just stored (`fresh`) change, in that transaction. */
  return (kind: Kind, fresh: EncodedRow[], receivedAt: number): void => {
    if (fresh.length === 0) return;
    if (kind === "scans") scans(fresh, receivedAt);
    else if (kind === "transfers") transfers(fresh);
    else attempts(fresh);
  };
}
