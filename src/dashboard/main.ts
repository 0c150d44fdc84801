// The live gate dashboard (GET /dashboard): an event's figures from the API's reads,
// polled every few seconds with conditional requests (api.ts), so an unchanged poll costs
// only 304s. When the server cannot be reached the page says so plainly and keeps the last
// figures as they were then (connection.ts), asking again less and less often; the next
// poll that succeeds puts things right. Polling pauses while the tab is hidden and
// resumes at once when it shows again.
import { ALERT_KINDS, type Kind, renderAlerts, renderAttempts, SHOWN } from "./alerts.js";
import { createChangeNotes } from "./announce.js";
import { ApiError, AuthNeeded, createApi, token, Unreachable } from "./api.js";
import { createConnection, REFRESH_MS, retryDelay } from "./connection.js";
import { createCurve, curveRange } from "./curve.js";
import { $, setHidden } from "./dom.js";
import { setUpDownloads } from "./download.js";
import { renderGates } from "./gates.js";
import { renderHeadline } from "./headline.js";
import { type Figures, held } from "./held.js";
import { linkTo, onPick, renderChooser, renderPicker } from "./picker.js";
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

/** The event list (GET /stats spans every event) is asked for less often. */
const EVENTS_EVERY_MS = 60_000;

const api = createApi();
const curve = createCurve();
const params = new URLSearchParams(location.search);
let eventId: string | null = params.get("event_id") || null;
let bucket: CurveBucket = CURVE_BUCKETS.find((b) => b === params.get("bucket")) ?? "5m";
let alertKind: Kind | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let round = 0;
let eventsAt = Number.NEGATIVE_INFINITY;
/** The last list of events, as it may be kept with the figures (held.ts). */
let keptEvents: AllEventStats | null = null;
/** Rounds failed in a row: the next waits longer (connection.ts, retryDelay). */
let failures = 0;
const connection = createConnection();
const noteChanges = createChangeNotes();

const serverNow = () => Date.now() + api.clockOffsetMs();

/** One event's answers, asked for at once (the curve's once the others say its range). */
async function fetchFigures(id: string): Promise<Figures> {
  const q = { event_id: id };
  const listed = { ...q, limit: String(SHOWN) };
  const [stats, attendance, gates, alerts, attempts] = await Promise.all([
    api.get<EventStats>("stats", q),
    api.get<Attendance>("stats/attendance", q),
    api.get<Gates>("stats/gates", q),
    api.get<Alerts>("stats/alerts", alertKind === null ? listed : { ...listed, kind: alertKind }),
    api.get<InvalidAttempts>("stats/invalid-attempts", listed),
  ]);
  const range = curveRange(attendance, gates, bucket, serverNow());
  const timeline = range ? await api.get<Timeline>("stats/timeline", { ...q, bucket, ...range }) : null;
  return { stats, attendance, gates, alerts, attempts, timeline, bucket, alertKind };
}

/** `now`: the server's time the figures are drawn against (their ages are as of then). */
function draw(id: string, f: Figures, now: number): void {
  renderHeadline(f.stats, f.attendance, now);
  curve.show(f.timeline, f.bucket, now);
  const quiet = renderGates(f.gates, now);
  renderAlerts(f.alerts, now, f.alertKind ?? null);
  renderAttempts(f.attempts, now);
  noteChanges(id, f.alerts, quiet, (f.alertKind ?? null) === null);
}

function drawEvents(events: AllEventStats, id: string | null, now: number): void {
  renderPicker(events, id);
  if (id === null) renderChooser(events, now);
}

/** `retry`: a round the backoff timed (a tap, a new event or Back is none: it adds no wait). */
async function refresh(retry = false): Promise<void> {
  clearTimeout(timer);
  const mine = ++round;
  const id = eventId;
  try {
    // The event list and the event's figures at once: one round trip's wait, not two.
    const listing = id === null || Date.now() - eventsAt >= EVENTS_EVERY_MS;
    const [events, figures] = await Promise.all([
      listing ? api.get<AllEventStats>("stats") : null,
      id === null ? null : fetchFigures(id),
    ]);
    if (mine !== round) return; // the event or bucket changed meanwhile: that round draws
    const now = serverNow();
    if (events) {
      eventsAt = Date.now();
      keptEvents = held.keepable(events);
      drawEvents(events, id, now);
    }
    // Before the drawing: "connected again" is said before what the drawing tells of.
    failures = 0;
    const at = connection.ok(id);
    if (id !== null && figures !== null) draw(id, figures, now);
    held.save({ at, now, event: id, figures, events: keptEvents });
    setHidden($("choose"), id !== null);
    setHidden($("event"), id === null);
    $("forget-token").hidden = token.get() === null;
  } catch (err) {
    if (mine !== round) return;
    if (err instanceof AuthNeeded) {
      connection.awaitToken();
      const had = token.get() !== null;
      const forbidden = err.status === 403;
      await askForToken(
        forbidden
          ? `This token may not read these figures (${err.message}). It needs the reader role and, if it is scoped to events, this one among them.`
          : had
            ? /expired/.test(err.message)
              ? "This token has expired: ask whoever gave it to you for a new one."
              : `The server refused this token (${err.message}). If it was pasted whole, it is no longer valid here: ask whoever gave it to you for a new one.`
            : null,
        // A reader scoped to other events may still read those: it can go and pick one.
        forbidden && id !== null ? { label: "Choose another event", go: () => go(null) } : undefined,
      );
      void refresh();
      return;
    }
    if (retry || failures === 0) failures++;
    // The figures on the page stay as they were drawn, their ages as of then: redrawn
    // against the clock, every scanner would look quiet while the page itself is cut off.
    const wait = retryDelay(failures, err instanceof Unreachable ? err.retryAfterMs : 0);
    if (err instanceof Unreachable) connection.failed({ kind: "offline", why: err.message }, wait);
    else
      connection.failed({ kind: "refused", why: err instanceof ApiError ? err.message : String(err) }, wait);
    if (!document.hidden) timer = setTimeout(() => refresh(true), wait);
    return;
  }
  if (mine === round && !document.hidden) timer = setTimeout(refresh, REFRESH_MS);
}

/** Shows another event (or the list): a new history entry, so Back returns to this one. */
function go(id: string | null): void {
  eventId = id;
  history.pushState(null, "", id === null ? location.pathname : linkTo(id));
  showing(id);
}

/** Another event's figures are never shown under this one's name: none until its own come. */
function showing(id: string | null): void {
  // Back to the event (or list) whose figures the page still holds: those, as they were.
  const held = connection.hasFiguresOf(id);
  setHidden($("event"), !held || id === null);
  setHidden($("choose"), !held || id !== null);
  document.title = id === null ? "Veritix · live gates" : `${id} · Veritix live gates`;
  // The picker names it at once (an event it lists; another comes with the next list).
  const picker = $<HTMLSelectElement>("event-picker");
  if (Array.from(picker.options).some((o) => o.value === (id ?? ""))) picker.value = id ?? "";
  connection.showing(id);
}

function choose(id: string | null): void {
  go(id);
  void refresh();
}

window.addEventListener("popstate", () => {
  eventId = new URLSearchParams(location.search).get("event_id") || null;
  showing(eventId);
  // The list comes again with it, so the picker shows the event gone back to.
  eventsAt = Number.NEGATIVE_INFINITY;
  void refresh();
});

// A token about to expire (connection.ts shows the button then): a new one while the
// figures still show, or back to them with the one it has.
$("renew-token").addEventListener("click", async () => {
  await askForToken(null, { label: "Keep the current token", go: () => {} });
  void refresh();
});
// A shared phone at the gate: the next person must not read with this token. The page
// starts again, figures gone, and asks for one.
// One tap too many on a phone would cost a token nobody can retype at a gate: asked first.
$("forget-token").addEventListener("click", () => {
  if (!window.confirm("Forget the reader token on this device? The figures need it again to show.")) return;
  // A round still under way must not keep its figures after this (it would, for the reload).
  clearTimeout(timer);
  round++;
  token.forget();
  held.forget();
  location.reload();
});
// The list's links open their event in this page, as the picker does: no page load, which
// on a network that just dropped would leave the browser's error page in its place. A
// click meant for another tab or window is left to the browser.
$("event-list").addEventListener("click", (e) => {
  const link = (e.target as Element).closest("a");
  if (!link || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const id = new URL(link.href).searchParams.get("event_id");
  if (id === null) return;
  e.preventDefault();
  choose(id);
});
onPick($<HTMLSelectElement>("event-picker"), choose, () => eventId);
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
// The alerts of one kind (at a big event, hundreds of double entries hide the few bursts).
for (const input of document.querySelectorAll<HTMLInputElement>('input[name="alert-kind"]')) {
  input.addEventListener("change", () => {
    alertKind = ALERT_KINDS.find((k) => k === input.value) ?? null;
    void refresh();
  });
}
// The phone back on a network, or a tap on "Try now": no wait for the backoff's turn.
window.addEventListener("online", () => void refresh());
for (const button of document.querySelectorAll(".try-now"))
  button.addEventListener("click", () => void refresh());
document.addEventListener("visibilitychange", () => {
  if (document.hidden) clearTimeout(timer);
  else void refresh();
});
setUpDownloads(() => eventId);

// Reloaded (or opened again from the history) while the server is out of reach, the page
// shows what it last drew for this event, as of then, until the server answers; the list
// of events it last had in the picker, whichever event this is.
try {
  const last = held.load();
  if (last?.events) {
    keptEvents = last.events;
    drawEvents(last.events, eventId, last.now);
  }
  if (last !== null && last.event === eventId) {
    // The alerts' kind picked before the reload is the one asked for again.
    alertKind = last.figures?.alertKind ?? null;
    if (eventId !== null && last.figures !== null) draw(eventId, last.figures, last.now);
    connection.restored(eventId, new Date(last.at));
  }
} catch {
  // Kept by another version of the page, in another shape: dropped, and the page waits for
  // the server as it did before anything was kept.
  held.forget();
}
// With the token in the tab, it can be forgotten before any answer (a phone handed over offline).
$("forget-token").hidden = token.get() === null;
// The page itself when the network is gone (offline/worker.ts). Where service workers are
// not offered (a page served over plain HTTP from elsewhere than this machine), the page
// works as before, only not reloaded offline.
navigator.serviceWorker?.register("dashboard-offline.js", { scope: "dashboard" }).catch(() => {});
showing(eventId);
void refresh();
