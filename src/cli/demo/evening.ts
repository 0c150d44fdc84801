// When the demo event happens: one evening of doors, on a UTC date that is already over.
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface Evening {
  /** The UTC date, YYYY-MM-DD. */
  date: string;
  doorsOpen: Date;
  /** Entry closes; re-entries still happen until `end`. */
  lastEntry: Date;
  /** The show is over: no record of the evening is later. */
  end: Date;
}

const DOORS_OPEN = 18 * 60;
const LAST_ENTRY = 21 * 60 + 30;
const END = 23 * 60;

export function eveningOf(date: string): Evening {
  const day = Date.parse(`${date}T00:00:00Z`);
  const at = (minutes: number) => new Date(day + minutes * MINUTE);
  return { date, doorsOpen: at(DOORS_OPEN), lastEntry: at(LAST_ENTRY), end: at(END) };
}

/** The most recent evening that is over at `now`: today's, or else yesterday's. */
export function lastEvening(now: Date): Evening {
  const today = eveningOf(now.toISOString().slice(0, 10));
  if (today.end.getTime() <= now.getTime()) return today;
  return eveningOf(new Date(now.getTime() - DAY).toISOString().slice(0, 10));
}

/** A real calendar date written YYYY-MM-DD, else null. */
export function parseDate(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? null : text;
}
