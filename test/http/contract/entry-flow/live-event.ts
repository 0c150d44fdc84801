// Random events for the entry-flow contract, as the wire carries them, happening around
// now (so GET /stats/gates' last-5 and last-15-minute windows, which use the server's clock,
// have something to count): tickets scanned 0–4 times over the past three hours, some in
// the last 20 minutes and a few up to an hour ahead; some at the same instant, where the
// uuid decides. Seeded: a failure names its seed, and the seed replays it.
import { hex, type Rand, random } from "../../../support/entry-flow-records.js";

const MIN = 60_000;

/** The windows' edges relative to the server's now: no scan may lie near one when the gates are read. */
const EDGES = [-15 * MIN, -5 * MIN, 0];
/** How far a scan stays from an edge, as of the read. */
export const MARGIN_MS = 60_000;
/** How long delivery and reads may take (the edges move with the clock) before the margins stop holding. */
export const SLACK_MS = 30_000;

export interface WireScan {
  uuid: string;
  ticket_id: string;
  event_id: string;
  scan_timestamp: string;
  is_valid: boolean;
  location?: string;
  scanner_id?: string;
}
export interface WireAttempt {
  uuid: string;
  attempt_type: string;
  reason: string;
  event_id?: string;
  attempt_timestamp: string;
}
export type LiveItem = { kind: "scan"; body: WireScan } | { kind: "attempt"; body: WireAttempt };

export interface LiveEvent {
  eventId: string;
  /** Scanners that may upload by POST /sync (the others post each scan alone). */
  syncing: string[];
  items: LiveItem[];
  /** The clock the times were drawn around (ms). */
  ref: number;
}

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

/** Is `t` at least the margin away from every window edge, for any read within the slack after `ref`? */
const clearOfEdges = (t: number, ref: number) =>
  EDGES.every((e) => t < ref + e - MARGIN_MS || t > ref + e + SLACK_MS + MARGIN_MS);

/** The first scan time nearer than the margin to a window edge as of `now`, if any. */
export function scanNearEdge(ev: LiveEvent, now: number): string | undefined {
  return ev.items.find(
    (x) =>
      x.kind === "scan" &&
      EDGES.some((e) => Math.abs(Date.parse(x.body.scan_timestamp) - (now + e)) < MARGIN_MS),
  )?.body.uuid;
}

/**
 * An event of ~30 tickets and ~12 invalid attempts. `head` starts every uuid and `prefix`
 * every scanner id: the same seed with another event, head and prefix gives the same records,
 * their uuids in the same relative order.
 */
export function liveEvent(seed: number, ids: { eventId: string; head: string; prefix: string }, ref: number) {
  const rand = random(seed);
  const used = new Set<string>();
  const uuid = (): string => {
    const u = `${ids.head}-${hex(rand, 4)}-7${hex(rand, 3)}-${pick(rand, ["8", "9", "a", "b"])}${hex(rand, 3)}-${hex(rand, 12)}`;
    if (used.has(u)) return uuid();
    used.add(u);
    return u;
  };
  const scanners = ["s1", "s2", "s3", "s4"].map((s) => `${ids.prefix}-${s}`);
  const gates = ["North", "South", "East", null, ""];
  const time = (): number => {
    const r = rand();
    // The evening so far; the last 20 minutes; up to an hour ahead (a device's clock, or a
    // record dated ahead): never inside a window.
    const t =
      r < 0.45
        ? ref - 180 * MIN + rand() * 160 * MIN
        : r < 0.65
          ? ref - 20 * MIN + rand() * 15 * MIN
          : r < 0.9
            ? ref - 5 * MIN + rand() * 5 * MIN
            : ref + rand() * 60 * MIN;
    return clearOfEdges(t, ref) ? Math.floor(t) : time();
  };
  const items: LiveItem[] = [];
  for (let t = 0; t < 30; t++) {
    const times: number[] = [];
    const scans = Math.floor(rand() * 5);
    for (let s = 0; s < scans; s++) {
      const at = times.length && rand() < 0.3 ? pick(rand, times) : time();
      times.push(at);
      const location = pick(rand, gates);
      const scanner = pick(rand, [...scanners, null]);
      const body: WireScan = {
        uuid: uuid(),
        ticket_id: `T${t}`,
        event_id: ids.eventId,
        scan_timestamp: new Date(at).toISOString(),
        is_valid: rand() < 0.8,
        ...(location === null ? {} : { location }),
        ...(scanner === null ? {} : { scanner_id: scanner }),
      };
      items.push({ kind: "scan", body });
    }
  }
  for (let i = 0; i < 12; i++) {
    const body: WireAttempt = {
      uuid: uuid(),
      attempt_type: "scan",
      reason: pick(rand, ["expired_ticket", "invalid_qr", "wrong_event"]),
      // A sixth name no event.
      ...(i % 6 === 5 ? {} : { event_id: ids.eventId }),
      attempt_timestamp: new Date(Math.floor(ref - 200 * MIN + rand() * 230 * MIN)).toISOString(),
    };
    items.push({ kind: "attempt", body });
  }
  // s4 and scans without a scanner are posted alone: they never sync.
  return { eventId: ids.eventId, syncing: scanners.slice(0, 3), items, ref } satisfies LiveEvent;
}
