// The whole demo event, generated from a seed: the same options give the same records,
// uuids included, so loading it again stores nothing twice.
import type { Evening } from "./evening.js";
import { eveningOf, lastEvening } from "./evening.js";
import { gateScans, scanMix } from "./gate-scans.js";
import { ticketProbe } from "./probe.js";
import { hash32, mulberry32, shuffle } from "./random.js";
import type { DemoInvalidAttempt, DemoScan, DemoTransfer, Ticket } from "./records.js";
import { ticketId } from "./records.js";
import { TRANSFER_SHARES, ticketTransfers } from "./transfers.js";
import { namedUuid } from "./uuid.js";

export const DEMO_DEFAULTS = { eventId: "demo-2026-arena", scans: 6000, seed: 2026 } as const;

export interface DemoOptions {
  eventId?: string;
  /** Gate scans in all (first entries, re-entries, refused scans). */
  scans?: number;
  seed?: number;
  /** The UTC date of the evening, YYYY-MM-DD; default: the last evening that is over. */
  date?: string;
  /** "Now", for the default date and the check that the evening is over. */
  now?: Date;
}

export interface DemoData {
  eventId: string;
  seed: number;
  evening: Evening;
  scans: (DemoScan & { uuid: string })[];
  transfers: (DemoTransfer & { uuid: string })[];
  invalidAttempts: (DemoInvalidAttempt & { uuid: string })[];
}

const NO_SHOWS = 0.07;
const VIP_SHARE = 0.08;

export function generateDemo(options: DemoOptions = {}): DemoData {
  const eventId = options.eventId ?? DEMO_DEFAULTS.eventId;
  const total = options.scans ?? DEMO_DEFAULTS.scans;
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const now = options.now ?? new Date();
  if (!Number.isInteger(total) || total < 1) throw new Error("scans must be a positive integer");
  const evening = options.date ? eveningOf(options.date) : lastEvening(now);
  if (evening.end.getTime() > now.getTime()) {
    throw new Error(`the evening of ${evening.date} is not over yet (it ends ${evening.end.toISOString()})`);
  }

  // The records (and so their uuids) depend on these, not on the date: a later run with
  // the same options finds them all already stored.
  const key = `${seed}:${eventId}:${total}`;
  const rnd = mulberry32(hash32(key));
  const { entries } = scanMix(total);
  const capacity = Math.ceil(entries / (1 - NO_SHOWS));
  const tickets: Ticket[] = Array.from({ length: capacity }, (_, i) => ({
    id: ticketId("TKT", i + 1),
    vip: rnd() < VIP_SHARE,
  }));
  const gate = gateScans(rnd, { eventId, evening, total, attendees: shuffle(rnd, [...tickets]) });
  const sales = ticketTransfers(rnd, {
    eventId,
    evening,
    tickets,
    transfers: Math.round(total * TRANSFER_SHARES.perScan),
    attempts: Math.max(1, Math.round(total * TRANSFER_SHARES.attemptsPerScan)),
  });

  // Its own random sequence: the records above stay as they were before it was added.
  const probe = ticketProbe(mulberry32(hash32(`${key}:probe`)), eventId, evening);

  const withUuids = <T>(kind: string, rows: T[]) =>
    rows.map((row, i) => ({ uuid: namedUuid(`veritix-demo:${key}:${kind}:${i}`), ...row }));
  return {
    eventId,
    seed,
    evening,
    scans: withUuids("scan", gate.scans),
    transfers: withUuids("transfer", sales.transfers),
    // Transfer attempts (weeks before) come first, then the gates' refusals, then the probe.
    invalidAttempts: withUuids("invalid-attempt", [...sales.attempts, ...gate.attempts, ...probe]),
  };
}
