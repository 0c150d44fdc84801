// The figures the page last drew, kept in this tab's session storage (as the token is), so
// that a page reloaded while the server is out of reach (the service worker gives the page
// itself: offline/worker.ts) shows them again, said to be of then, instead of nothing. Kept
// whole with the time they were drawn at: redrawn, they are as they were, never aged
// against the clock (connection.ts says how old). Gone with the token ("Forget token").

import type { Kind } from "./alerts.js";
import { inStorage } from "./tab-storage.js";
import type {
  Alerts,
  AllEventStats,
  Attendance,
  CurveBucket,
  EventStats,
  Gates,
  InvalidAttempts,
  Timeline,
} from "./types.js";

export const HELD_KEY = "veritix.held-figures";
/**
 * A platform's whole list of events can be megabytes (~250 bytes an event): beyond this
 * many it is not kept (the picker then names the event shown alone).
 */
const EVENTS_MAX = 1_000;

/** One event's answers, as one round brought them. */
export interface Figures {
  stats: EventStats;
  attendance: Attendance;
  gates: Gates;
  alerts: Alerts;
  attempts: InvalidAttempts;
  timeline: Timeline | null;
  bucket: CurveBucket;
  /** The alerts' kind asked for (null: every kind). */
  alertKind: Kind | null;
}

export interface Held {
  /** When the round that brought them ended, by this browser's clock (epoch ms). */
  at: number;
  /** The server's time they were drawn against (epoch ms). */
  now: number;
  /** The event shown, null: the list of events. */
  event: string | null;
  figures: Figures | null;
  events: AllEventStats | null;
}

export const held = {
  load: (): Held | null =>
    inStorage((s) => {
      const text = s.getItem(HELD_KEY);
      return text === null ? null : (JSON.parse(text) as Held);
    }, null),
  save(h: Held): void {
    // Storage full or refused: a reload then shows nothing until the server answers, as it
    // did before anything was kept.
    const kept = inStorage((s) => {
      s.setItem(HELD_KEY, JSON.stringify(h));
      return true;
    }, false);
    if (!kept) held.forget();
  },
  forget: (): void => inStorage((s) => s.removeItem(HELD_KEY), undefined),
  /** The list of events as it may be kept: null if too big. */
  keepable: (events: AllEventStats): AllEventStats | null =>
    Object.keys(events).length > EVENTS_MAX ? null : events,
};
