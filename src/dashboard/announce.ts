// What a screen reader is told without being asked: the few changes a supervisor acts on
// (a new alert, a scanner gone quiet, the server back), once each, politely. Not the
// figures of every poll: read out every 5 s they would drown everything else.
import { ALERT_KINDS, alertCount } from "./alerts.js";
import { $ } from "./dom.js";
import type { Alerts } from "./types.js";

/** What is to be said at the next turn: said together, so that one does not replace another. */
let pending: string[] = [];

/**
 * Says `text` in the page's polite live region; the same words twice are said twice. What
 * is said within the same 100 ms goes as one message, in the order it came.
 */
export function announce(text: string): void {
  const region = $("announce");
  pending.push(text);
  if (pending.length > 1) return;
  // Emptied first: a region whose text does not change says nothing.
  region.textContent = "";
  setTimeout(() => {
    region.textContent = pending.join(" ");
    pending = [];
  }, 100);
}

/**
 * New alerts of these kinds are said at once; others (double entries, by the hundred at a
 * big event) at most once per ALERTS_EVERY_MS, together: said every round they would be
 * all a screen reader says all evening (an audit heard 12 a minute at 80 scanners).
 */
const URGENT: readonly (typeof ALERT_KINDS)[number][] = ["invalid_burst", "transfer_chain"];
export const ALERTS_EVERY_MS = 60_000;

/** What one event's alerts were when last said, and the scanners quiet when last drawn. */
interface Seen {
  event: string;
  said: Alerts["summary"];
  saidAt: number;
  quiet: Set<string>;
}

/**
 * Compares each drawing of an event's figures with what was said of it and announces what
 * a supervisor acts on: new alerts by kind (and how many of them are high), and scanners
 * that turned quiet. The first drawing of an event says nothing: its state is on the page.
 */
export function createChangeNotes(say: (text: string) => void = announce, clock: () => number = Date.now) {
  let seen: Seen | null = null;
  /** `allKinds`: the alerts listed are of every kind (none picked), the newest first. */
  return (event: string, alerts: Alerts, quiet: string[], allKinds = true): void => {
    const now = clock();
    const before = seen?.event === event ? seen : null;
    if (before === null) {
      // Said "long ago": the first new alert is said at once.
      seen = { event, said: alerts.summary, saidAt: -Infinity, quiet: new Set(quiet) };
      return;
    }
    const said: string[] = [];
    const added = ALERT_KINDS.map((kind) => ({ kind, n: alerts.summary[kind] - before.said[kind] })).filter(
      (a) => a.n > 0,
    );
    const due = now - before.saidAt >= ALERTS_EVERY_MS || added.some((a) => URGENT.includes(a.kind));
    if (added.length && due) {
      const total = added.reduce((n, a) => n + a.n, 0);
      // Newest first, the new ones head the list: how many are high is known when it holds
      // them all (every kind listed, and no more new ones than it shows).
      const known = allKinds && total <= alerts.alerts.length;
      const high = known ? alerts.alerts.slice(0, total).filter((a) => a.severity === "high").length : 0;
      said.push(
        `New ${total === 1 ? "alert" : "alerts"}: ${added.map((a) => alertCount(a.kind, a.n)).join(", ")}` +
          (high ? ` (${high} high)` : "") +
          ".",
      );
      before.said = alerts.summary;
      before.saidAt = now;
    }
    const quieted = quiet.filter((s) => !before.quiet.has(s));
    before.quiet = new Set(quiet);
    if (quieted.length)
      said.push(`${quieted.join(", ")} ${quieted.length === 1 ? "has" : "have"} gone quiet.`);
    if (said.length) say(said.join(" "));
  };
}
