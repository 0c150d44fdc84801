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

/** What one event's figures were when last drawn, to tell what changed since. */
interface Seen {
  event: string;
  alerts: Alerts["summary"];
  quiet: Set<string>;
}

/**
 * Compares each drawing of an event's figures with the one before it and announces what a
 * supervisor acts on: new alerts by kind (and how many of them are high), and scanners that
 * turned quiet. The first drawing of an event says nothing: its state is on the page.
 */
export function createChangeNotes() {
  let seen: Seen | null = null;
  return (event: string, alerts: Alerts, quiet: string[]): void => {
    const before = seen?.event === event ? seen : null;
    seen = { event, alerts: alerts.summary, quiet: new Set(quiet) };
    if (before === null) return;
    const said: string[] = [];
    const added = ALERT_KINDS.map((kind) => ({ kind, n: alerts.summary[kind] - before.alerts[kind] })).filter(
      (a) => a.n > 0,
    );
    if (added.length) {
      const total = added.reduce((n, a) => n + a.n, 0);
      // Newest first: the new ones head the list (as many of them as it shows).
      const high = alerts.alerts.slice(0, total).filter((a) => a.severity === "high").length;
      said.push(
        `New ${total === 1 ? "alert" : "alerts"}: ${added.map((a) => alertCount(a.kind, a.n)).join(", ")}` +
          (high ? ` (${high} high)` : "") +
          ".",
      );
    }
    const quieted = quiet.filter((s) => !before.quiet.has(s));
    if (quieted.length)
      said.push(`${quieted.join(", ")} ${quieted.length === 1 ? "has" : "have"} gone quiet.`);
    if (said.length) announce(said.join(" "));
  };
}
