// The live gate dashboard (GET /dashboard): an event's figures from the API's reads,
// polled every few seconds with conditional requests (api.ts), so an unchanged poll costs
// only 304s. When the server cannot be reached the page says so plainly and keeps the last
// figures; the next poll that succeeds puts things right. Polling pauses while the tab is
// hidden and resumes at once when it shows again.
import { renderAlerts, renderAttempts, SHOWN } from "./alerts.js";
import { ApiError, AuthNeeded, createApi, token, Unreachable } from "./api.js";
import { createCurve, curveRange } from "./curve.js";
import { $ } from "./dom.js";
import { timeWithSeconds } from "./format.js";
import { renderGates } from "./gates.js";
import { renderHeadline } from "./headline.js";
import { linkTo, renderChooser, renderPicker } from "./picker.js";
import { askForToken } from "./token.js";
import {
  type Alerts,
  type AllEventStats,
  type Attendance,
  CURVE_BUCKETS,
  type CurveBucket,
  type EventStats,
  type Gates,
  type InvalidAttempts,
  type Timeline,
} from "./types.js";

const REFRESH_MS = 5_000;
/** The event list (GET /stats spans every event) is asked for less often. */
const EVENTS_EVERY_MS = 60_000;

const api = createApi();
const curve = createCurve();
const params = new URLSearchParams(location.search);
let eventId: string | null = params.get("event_id") || null;
let bucket: CurveBucket = CURVE_BUCKETS.find((b) => b === params.get("bucket")) ?? "5m";
let timer: ReturnType<typeof setTimeout> | undefined;
let round = 0;
let eventsAt = Number.NEGATIVE_INFINITY;
let lastGood: Date | null = null;
let offlineSince: Date | null = null;
/** The last figures drawn, and of which event: redrawn while offline, so their ages still move. */
let lastDrawn: { id: string; draw: () => void } | null = null;

const serverNow = () => Date.now() + api.clockOffsetMs();

async function showEvent(id: string): Promise<() => void> {
  const q = { event_id: id };
  const listed = { ...q, limit: String(SHOWN) };
  const [stats, attendance, gates, alerts, attempts] = await Promise.all([
    api.get<EventStats>("stats", q),
    api.get<Attendance>("stats/attendance", q),
    api.get<Gates>("stats/gates", q),
    api.get<Alerts>("stats/alerts", listed),
    api.get<InvalidAttempts>("stats/invalid-attempts", listed),
  ]);
  const range = curveRange(attendance, gates, bucket, serverNow());
  const timeline = range ? await api.get<Timeline>("stats/timeline", { ...q, bucket, ...range }) : null;
  return () => {
    const now = serverNow();
    renderHeadline(stats, attendance, now);
    curve.show(timeline, bucket, now);
    renderGates(gates, now);
    renderAlerts(alerts, now);
    renderAttempts(attempts, now);
  };
}

function setOnline(at: Date): void {
  lastGood = at;
  offlineSince = null;
  $("offline").hidden = true;
  $("problem").hidden = true;
  document.body.classList.remove("stale");
  $("status").textContent = `Updated ${timeWithSeconds(at)} · every ${REFRESH_MS / 1000} s`;
  $("forget-token").hidden = token.get() === null;
}

function setOffline(why: string): void {
  offlineSince ??= new Date();
  const banner = $("offline");
  banner.textContent =
    `Cannot reach the server (${why}) since ${timeWithSeconds(offlineSince)}. ` +
    (lastGood ? `Showing the figures of ${timeWithSeconds(lastGood)}; ` : "") +
    `trying again every ${REFRESH_MS / 1000} s.`;
  banner.hidden = false;
  $("status").textContent = "Offline";
  // The figures stay, dimmed (the banner, which stays in view, says why), their ages moving on.
  document.body.classList.add("stale");
  if (lastDrawn?.id === eventId) lastDrawn.draw();
}

function setProblem(message: string): void {
  const p = $("problem");
  p.textContent = `The server would not answer: ${message}`;
  p.hidden = false;
  $("status").textContent = "Not updated";
}

async function refresh(): Promise<void> {
  clearTimeout(timer);
  const mine = ++round;
  const id = eventId;
  try {
    // The event list and the event's figures at once: one round trip's wait, not two.
    const listing = id === null || Date.now() - eventsAt >= EVENTS_EVERY_MS;
    const [events, drawEvent] = await Promise.all([
      listing ? api.get<AllEventStats>("stats") : null,
      id === null ? null : showEvent(id),
    ]);
    if (mine !== round) return; // the event or bucket changed meanwhile: that round draws
    if (events) {
      eventsAt = Date.now();
      renderPicker(events, id);
      if (id === null) renderChooser(events, serverNow());
    }
    drawEvent?.();
    lastDrawn = id !== null && drawEvent ? { id, draw: drawEvent } : null;
    $("choose").hidden = id !== null;
    $("event").hidden = id === null;
    document.title = id === null ? "Veritix · live gates" : `${id} · Veritix live gates`;
    setOnline(new Date());
  } catch (err) {
    if (mine !== round) return;
    if (err instanceof AuthNeeded) {
      const had = token.get() !== null;
      const forbidden = err.status === 403;
      await askForToken(
        forbidden
          ? `This token may not read these figures (${err.message}). It needs the reader role and, if it is scoped to events, this one among them.`
          : had
            ? /expired/.test(err.message)
              ? "This token has expired: ask whoever gave it to you for a new one."
              : `The server refused this token (${err.message}). Check it and try again.`
            : null,
        // A reader scoped to other events may still read those: it can go and pick one.
        forbidden && id !== null ? () => go(null) : undefined,
      );
      void refresh();
      return;
    }
    if (err instanceof Unreachable) setOffline(err.message);
    else setProblem(err instanceof ApiError ? err.message : String(err));
  }
  if (mine === round && !document.hidden) timer = setTimeout(refresh, REFRESH_MS);
}

/** Shows another event (or the list): a new history entry, so Back returns to this one. */
function go(id: string | null): void {
  eventId = id;
  history.pushState(null, "", id === null ? location.pathname : linkTo(id));
}

function choose(id: string | null): void {
  go(id);
  void refresh();
}

window.addEventListener("popstate", () => {
  eventId = new URLSearchParams(location.search).get("event_id") || null;
  // The list comes again with it, so the picker shows the event gone back to.
  eventsAt = Number.NEGATIVE_INFINITY;
  void refresh();
});

// A shared phone at the gate: the next person must not read with this token. The page
// starts again, figures gone, and asks for one.
$("forget-token").addEventListener("click", () => {
  token.forget();
  location.reload();
});
$<HTMLSelectElement>("event-picker").addEventListener("change", (e) =>
  choose((e.target as HTMLSelectElement).value || null),
);
for (const input of document.querySelectorAll<HTMLInputElement>('input[name="bucket"]')) {
  input.checked = input.value === bucket;
  input.addEventListener("change", () => {
    bucket = input.value as CurveBucket;
    const url = new URL(location.href);
    url.searchParams.set("bucket", bucket);
    history.replaceState(null, "", url.pathname + url.search);
    void refresh();
  });
}
document.addEventListener("visibilitychange", () => {
  if (document.hidden) clearTimeout(timer);
  else void refresh();
});
void refresh();
