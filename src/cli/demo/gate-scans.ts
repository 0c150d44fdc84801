// The evening at the gates: first entries arriving on a curve (slow start, a peak before
// the show, a tail), re-entries, and the scans the scanners refuse, each with its
// matching invalid attempt.
import type { Evening } from "./evening.js";
import { between, gamma, pick, type Random, weighted } from "./random.js";
import { byTime, type DemoInvalidAttempt, type DemoScan, iso, type Ticket, ticketId } from "./records.js";
import { type Gate, GENERAL_GATES, SCAN_REJECTIONS, type Scanner, VIP_GATE } from "./venue.js";

const MINUTE = 60_000;

export const SHARES = { invalid: 0.025, reEntry: 0.015 } as const;

interface Entry {
  ticket: Ticket;
  at: number;
  gate: Gate;
}

export interface GateScansInput {
  eventId: string;
  evening: Evening;
  /** Tickets in random order: the first `scanMix(total).entries` of them come in. */
  attendees: Ticket[];
  /** Scans in all: first entries + re-entries + refused scans. */
  total: number;
}

/** How the total splits: refused scans, re-entries, and first entries (the rest). */
export function scanMix(total: number) {
  const invalid = Math.round(total * SHARES.invalid);
  const reEntries = Math.round(total * SHARES.reEntry);
  return { invalid, reEntries, entries: total - invalid - reEntries };
}

export function gateScans(rnd: Random, input: GateScansInput) {
  const { eventId, evening } = input;
  const open = evening.doorsOpen.getTime();
  const window = evening.lastEntry.getTime() - open;
  const end = evening.end.getTime();
  const mix = scanMix(input.total);
  const scans: DemoScan[] = [];
  const attempts: DemoInvalidAttempt[] = [];

  // Gamma(5, 19 min): almost nobody at 18:00, a peak around 19:15, a long tail to last entry.
  const arrival = (): number => {
    let ms = gamma(rnd, 5, 19 * MINUTE);
    while (ms > window) ms = gamma(rnd, 5, 19 * MINUTE);
    return open + Math.round(ms);
  };
  const generalGate = () => weighted(rnd, GENERAL_GATES);
  const scan = (
    ticket: string,
    at: number,
    scanner: Scanner,
    valid: boolean,
    meta: Record<string, unknown>,
  ) =>
    scans.push({
      ticket_id: ticket,
      event_id: eventId,
      scanner_id: scanner.id,
      scan_timestamp: iso(at),
      is_valid: valid,
      location: scanner.gate,
      device_info: scanner.device,
      additional_metadata: meta,
    });

  const entries: Entry[] = input.attendees.slice(0, mix.entries).map((ticket) => {
    const entry = { ticket, at: arrival(), gate: ticket.vip ? VIP_GATE : generalGate() };
    scan(ticket.id, entry.at, pick(rnd, entry.gate.scanners), true, { ticket_type: type(ticket) });
    return entry;
  });

  // Guests stepping out for a while and coming back in through the same gate.
  for (let i = 0; i < mix.reEntries; i++) {
    const e = pick(rnd, entries);
    let at = e.at + between(rnd, 20 * MINUTE, 100 * MINUTE);
    if (at > end) at = end - between(rnd, MINUTE, 30 * MINUTE);
    scan(e.ticket.id, at, pick(rnd, e.gate.scanners), true, { ticket_type: type(e.ticket), re_entry: true });
  }

  for (let i = 0; i < mix.invalid; i++) {
    const reason = weighted(rnd, SCAN_REJECTIONS);
    const scanner = pick(rnd, generalGate().scanners);
    let ticket: string;
    let at = arrival();
    let meta: Record<string, unknown>;
    if (reason === "already_scanned") {
      // A screenshot of a ticket that already went in, shown a little later.
      const e = pick(rnd, entries);
      ticket = e.ticket.id;
      at = Math.min(end, e.at + between(rnd, 5_000, 40 * MINUTE));
      meta = { first_scanned_at: iso(e.at), first_gate: e.gate.name };
    } else if (reason === "invalid_qr") {
      ticket = `QR-${between(rnd, 0, 0xffffffff).toString(16).padStart(8, "0")}`;
      meta = { decode_error: rnd() < 0.6 ? "checksum_mismatch" : "unreadable" };
    } else if (reason === "expired_ticket") {
      ticket = ticketId("TKT-A25", between(rnd, 1, 999_999));
      meta = { ticket_event_id: "demo-2025-arena" };
    } else {
      ticket = ticketId("TKT-T26", between(rnd, 1, 999_999));
      meta = { ticket_event_id: "demo-2026-theatre" };
    }
    scan(ticket, at, scanner, false, meta);
    attempts.push({
      attempt_type: "scan",
      reason,
      ticket_id: ticket,
      event_id: eventId,
      attempt_timestamp: iso(at),
      ip_address: scanner.ip,
      user_agent: scanner.userAgent,
      additional_metadata: { scanner_id: scanner.id, location: scanner.gate, ...meta },
    });
  }

  scans.sort(byTime((s) => s.scan_timestamp));
  attempts.sort(byTime((a) => a.attempt_timestamp));
  return { scans, attempts };
}

const type = (t: Ticket) => (t.vip ? "vip" : "general");
