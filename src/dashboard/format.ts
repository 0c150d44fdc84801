// How the page writes figures and times: counts with thousands separators (the API's
// numbers, exactly), times in the browser's time zone, ages as a person says them.

const counts = new Intl.NumberFormat("en-US");
const rates = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const clockSeconds = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

export const count = (n: number): string => counts.format(n);
/** A file's size: "820 bytes", "14.2 kB", "3.1 MB" (decimal units, as file managers show them). */
export function size(bytes: number): string {
  if (bytes < 1000) return plural(bytes, "byte");
  return bytes < 1e6 ? `${rates.format(bytes / 1e3)} kB` : `${rates.format(bytes / 1e6)} MB`;
}
export const perMinute = (entries: number, minutes: number): string =>
  `${rates.format(entries / minutes)}/min`;
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${count(n)} ${n === 1 ? one : many}`;

/** A time of day, with the date when it is not today. */
export function time(iso: string | null, now = Date.now()): string {
  if (iso === null) return "—";
  const at = new Date(iso);
  return new Date(now).toDateString() === at.toDateString() ? clock.format(at) : dayAndClock.format(at);
}

export const timeWithSeconds = (at: Date): string => clockSeconds.format(at);

/** "under a minute", "4 min", "2 h 5 min", "3 days". */
export function duration(ms: number): string {
  if (ms < 60_000) return "under a minute";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/** "just now", "4 min ago", "2 h 5 min ago", "3 days ago". */
export const age = (ms: number): string => (ms < 60_000 ? "just now" : `${duration(ms)} ago`);

/** The browser's time zone as a label: "UTC", "UTC+1", "UTC−5:30". */
export function zoneLabel(at = new Date()): string {
  const off = -at.getTimezoneOffset();
  if (off === 0) return "UTC";
  const sign = off > 0 ? "+" : "−";
  const [h, m] = [Math.floor(Math.abs(off) / 60), Math.abs(off) % 60];
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, "0")}` : ""}`;
}
