// What the page says of its own connection: when its figures were last brought up to date,
// and, when they are not current, why and since when. One place decides the header's
// status, the one banner and whether the figures are shown as stale, from a few facts
// (the last good round, the failure going on, a token awaited), re-read every second: a
// request that hangs makes the figures stale as surely as one that fails.
import { announce } from "./announce.js";
import { token } from "./api.js";
import { $, setHidden } from "./dom.js";
import { age, duration, timeWithSeconds } from "./format.js";

export const REFRESH_MS = 5_000;
/**
 * Figures this old are stale, whatever the reason: a request hanging (marked so before its
 * 10 s timeout says the server is out of reach), a token awaited.
 */
const STALE_AFTER_MS = 2 * REFRESH_MS;
const BACKOFF_MAX_MS = 60_000;
/** A signed token this close to its expiry is said to be (the header's status). */
const EXPIRY_WARNING_MS = 30 * 60_000;

/**
 * The wait before the next round after `failures` failed ones in a row: 5 s twice, then
 * doubling up to a minute, ±20% so that the phones of a venue do not come back in step,
 * and never less than the server asked for (Retry-After).
 */
export function retryDelay(failures: number, retryAfterMs = 0, random = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, REFRESH_MS * 2 ** Math.max(0, failures - 2));
  return Math.max(retryAfterMs, Math.round(base * (0.8 + 0.4 * random())));
}

/** Why the last round failed: the server out of reach (a retry will do), or a refusal. */
export type Trouble = { kind: "offline" | "refused"; why: string };

export function createConnection() {
  /** The last round that brought figures, by this browser's clock; and which event they are of. */
  let lastGood: { at: Date; of: string | null } | null = null;
  /** The figures are a reload's (held.ts): not known current until a round says so. */
  let restored = false;
  let trouble: (Trouble & { since: Date; retryAt: number }) | null = null;
  let awaitingToken = false;
  let shown: string | null = null;

  // In the status line, to the second.
  const sinceToTheSecond = (at: Date) => {
    const ms = Date.now() - at.getTime();
    return `${timeWithSeconds(at)} (${ms < 60_000 ? `${Math.floor(ms / 1000)} s ago` : age(ms)})`;
  };

  function render(): void {
    const now = Date.now();
    const figures = lastGood !== null && lastGood.of === shown ? lastGood : null;
    const late = figures !== null && (restored || now - figures.at.getTime() >= STALE_AFTER_MS);
    const status = $("status");
    const offline = $("offline");
    const problem = $("problem");
    const left = trouble ? Math.ceil((trouble.retryAt - now) / 1000) : 0;
    // Past its time the retry is under way (a request may hang up to its timeout).
    const retry = trouble ? (left > 0 ? ` Trying again in ${left} s.` : " Trying again…") : "";
    if (awaitingToken) status.textContent = "Waiting for a token";
    else if (trouble?.kind === "offline") status.textContent = "Offline";
    else if (trouble) status.textContent = "Not updated";
    // Figures of another event (or of the list) say nothing of this one's.
    else if (figures === null) status.textContent = "Loading…";
    else if (late) status.textContent = `Updated ${sinceToTheSecond(figures.at)} · waiting for the server`;
    else status.textContent = `Updated ${timeWithSeconds(figures.at)} · every ${REFRESH_MS / 1000} s`;
    // Told before it happens: a supervisor can ask for a new token while the figures still show.
    const expires = token.expiresAt();
    const expiring = expires !== null && !awaitingToken && expires - now < EXPIRY_WARNING_MS;
    if (expiring)
      status.textContent += ` · token ${expires > now ? `expires in ${duration(expires - now)}` : "expired"}`;
    setHidden($("renew-token"), !expiring);
    // The banners' alerts change only with what they say: a screen reader hears a failure
    // once. What changes with the clock (the figures' age, the retry's countdown) goes in
    // the line beside it, which is not read out.
    const shownFigures = figures
      ? ` Showing the figures of ${timeWithSeconds(figures.at)}, as they were then.`
      : "";
    const clock = (figures ? ` They are ${duration(now - figures.at.getTime())} old.` : "") + retry;
    const offlineText =
      trouble?.kind === "offline"
        ? `Cannot reach the server (${trouble.why}) since ${timeWithSeconds(trouble.since)}.${shownFigures}`
        : "";
    const problemText =
      trouble?.kind === "refused" ? `The server would not answer: ${trouble.why}.${shownFigures}` : "";
    setBanner(offline, offlineText, clock);
    setBanner(problem, problemText, clock);
    document.body.classList.toggle("stale", figures !== null && (trouble !== null || awaitingToken || late));
  }

  function setBanner(banner: HTMLElement, text: string, clock: string): void {
    // "Try now" that brought the server back hands the focus on, not to the top of the page.
    setHidden(banner, text === "");
    const [said, ticking] = banner.children as unknown as [HTMLElement, HTMLElement, HTMLButtonElement];
    if (said.textContent !== text) said.textContent = text;
    ticking.textContent = text === "" ? "" : clock;
  }

  setInterval(render, 1000);
  return {
    /** Figures of `of` (null: the list of events) are on the page, as of now (returned, epoch ms). */
    ok(of: string | null): number {
      // The alert said it was lost; this says, once, that it is back.
      if (trouble?.kind === "offline") announce("Connected to the server again.");
      lastGood = { at: new Date(), of };
      restored = false;
      trouble = null;
      awaitingToken = false;
      render();
      return lastGood.at.getTime();
    },
    /** Figures of `of` that came `at` are on the page again (held.ts, after a reload). */
    restored(of: string | null, at: Date): void {
      lastGood = { at, of };
      restored = true;
      render();
    },
    /** A round failed; the next is in `retryInMs`. */
    failed(t: Trouble, retryInMs: number): void {
      trouble = { ...t, since: trouble?.since ?? new Date(), retryAt: Date.now() + retryInMs };
      // A round runs only once a token was given: none is awaited any more.
      awaitingToken = false;
      render();
    },
    /** The server answered, and wants a (better) token: nothing is out of reach. */
    awaitToken(): void {
      awaitingToken = true;
      trouble = null;
      render();
    },
    /** The page now shows this event (or, null, the list): figures of another one are not its. */
    showing(of: string | null): void {
      shown = of;
      render();
    },
    /** Whether the figures on the page are of this event. */
    hasFiguresOf: (of: string | null): boolean => lastGood?.of === of,
  };
}
