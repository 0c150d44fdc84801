// The weeks before the event: tickets changing hands (gifts, resales, ...; some fail),
// and a few attempts to transfer a ticket one does not own.
import type { Evening } from "./evening.js";
import { between, pick, type Random, sampleIndexes, weighted } from "./random.js";
import { byTime, type DemoInvalidAttempt, type DemoTransfer, iso, type Ticket } from "./records.js";
import { CLIENTS, TRANSFER_FAILURES, TRANSFER_REASONS } from "./venue.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const TRANSFER_SHARES = { perScan: 0.05, failed: 0.05, attemptsPerScan: 1 / 600 } as const;

export interface TransfersInput {
  eventId: string;
  evening: Evening;
  tickets: Ticket[];
  transfers: number;
  attempts: number;
}

export function ticketTransfers(rnd: Random, input: TransfersInput) {
  const { eventId, tickets } = input;
  // Four weeks of sales, ever busier towards the event, until half an hour before doors.
  const stop = input.evening.doorsOpen.getTime() - 30 * MINUTE;
  const span = 28 * DAY;
  const when = () => Math.round(stop - span * rnd() ** 2);
  const user = () => `user-${between(rnd, 10_000, 99_999)}`;
  const owners = new Map<string, string>();
  const ownerOf = (t: Ticket) => owners.get(t.id) ?? (owners.set(t.id, user()).get(t.id) as string);
  const otherThan = (u: string) => {
    let v = user();
    while (v === u) v = user();
    return v;
  };
  const client = () => {
    const [platform, ua] = pick(rnd, CLIENTS);
    const ip = `${rnd() < 0.5 ? "198.51.100" : "203.0.113"}.${between(rnd, 1, 254)}`;
    return { platform, ua, ip };
  };

  const times = Array.from({ length: input.transfers }, when).sort((a, b) => a - b);
  const failed = sampleIndexes(rnd, times.length, Math.round(times.length * TRANSFER_SHARES.failed));
  const moved: Ticket[] = [];
  const transfers: DemoTransfer[] = times.map((at, i) => {
    // Some tickets change hands more than once (bought, then resold).
    const ticket = moved.length > 0 && rnd() < 0.12 ? pick(rnd, moved) : pick(rnd, tickets);
    const from = ownerOf(ticket);
    const to = otherThan(from);
    const reason = weighted(rnd, TRANSFER_REASONS);
    const ok = !failed.has(i);
    const c = client();
    const meta: Record<string, unknown> = { platform: c.platform };
    if (reason === "resale") meta.price_eur = between(rnd, 45, 140);
    if (!ok)
      meta.failure_reason = reason === "resale" ? pick(rnd, TRANSFER_FAILURES) : "recipient_not_verified";
    if (ok) {
      owners.set(ticket.id, to);
      moved.push(ticket);
    }
    return {
      ticket_id: ticket.id,
      event_id: eventId,
      from_user_id: from,
      to_user_id: to,
      transfer_timestamp: iso(at),
      transfer_reason: reason,
      ip_address: c.ip,
      user_agent: c.ua,
      is_successful: ok,
      additional_metadata: meta,
    };
  });

  const attempts: DemoInvalidAttempt[] = Array.from({ length: input.attempts }, () => {
    const ticket = pick(rnd, tickets);
    const owner = ownerOf(ticket);
    const c = client();
    return {
      attempt_type: "transfer",
      reason: "unauthorized_transfer",
      ticket_id: ticket.id,
      event_id: eventId,
      attempt_timestamp: iso(when()),
      ip_address: c.ip,
      user_agent: c.ua,
      additional_metadata: { platform: c.platform, owner_user_id: owner, requested_by: otherThan(owner) },
    };
  }).sort(byTime((a) => a.attempt_timestamp));

  return { transfers, attempts };
}
