// Someone guessing ticket numbers: one address asking for made-up tickets a few times a
// second for a minute during doors, all refused. GET /stats/alerts shows it as a burst of
// invalid attempts from that address (DESIGN.md, "Signals").
import type { Evening } from "./evening.js";
import { between, type Random } from "./random.js";
import { type DemoInvalidAttempt, iso, ticketId } from "./records.js";

const MINUTE = 60_000;
/** Where the guesses come from. */
export const PROBE_IP = "203.0.113.77";
/** A little over the default burst threshold (10), within one UTC minute. */
const GUESSES = 14;

export function ticketProbe(rnd: Random, eventId: string, evening: Evening): DemoInvalidAttempt[] {
  // 19:42 UTC, at the height of doors.
  const start = evening.doorsOpen.getTime() + 102 * MINUTE;
  return Array.from({ length: GUESSES }, (_, i) => ({
    attempt_type: "validation",
    reason: "ticket_not_found",
    ticket_id: ticketId("TKT", between(rnd, 100_000, 999_999)),
    event_id: eventId,
    attempt_timestamp: iso(start + i * 4_000 + between(rnd, 0, 999)),
    ip_address: PROBE_IP,
    user_agent: "python-requests/2.32",
    additional_metadata: { endpoint: "/tickets/validate" },
  }));
}
