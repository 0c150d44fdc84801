// The gates table (GET /stats/gates): each gate, then its scanners, with the entries of
// the last 5 and 15 minutes as a rate, the last scan, and the device's last sync and
// backlog. While the doors move, a scanner quiet for more than 2 minutes, or holding a
// backlog, is flagged in words as well as colour; so is a device whose clock is wrong.
import { clockIsWrong } from "../clock-offset.js";
import { $, h, morphInto } from "./dom.js";
import { age, count, duration, perMinute } from "./format.js";
import type { Gate, GateScanner, Gates } from "./types.js";

export const QUIET_MS = 2 * 60_000;
/** The doors count as moving while some scan is this recent. */
const ACTIVE_MS = 15 * 60_000;

const latest = (...isos: (string | null)[]): number =>
  Math.max(...isos.map((iso) => (iso === null ? Number.NEGATIVE_INFINITY : Date.parse(iso))));

/** Whether the scanner is quiet, and its flags in words. */
function flags(s: GateScanner, now: number, doorsMoving: boolean): { quiet: boolean; marks: string[] } {
  const marks: string[] = [];
  const silent = now - latest(s.last_scan_at, s.last_sync_at);
  const quiet = doorsMoving && silent > QUIET_MS;
  if (quiet) marks.push(`quiet ${duration(silent)}`);
  if (s.pending !== null && s.pending > 0) marks.push(`backlog ${count(s.pending)}`);
  // A clock behind makes its scans look late (offline), ahead makes them look to come; the
  // device's own screen and logs are wrong too. Beyond a day the server moves its times.
  const offset = s.clock_offset_ms;
  if (offset !== null && clockIsWrong(offset))
    marks.push(`clock ${duration(Math.abs(offset))} ${offset > 0 ? "behind" : "ahead"}`);
  return { quiet, marks };
}

/** "12 (2.4/min)": on a phone the count alone (style.css hides the rate). */
const rate = (entries: number, minutes: number) =>
  h("span", {}, count(entries), h("span", { class: "rate" }, ` (${perMinute(entries, minutes)})`));
const ago = (iso: string | null, now: number) => (iso === null ? "—" : age(now - Date.parse(iso)));

function gateRow(g: Gate, now: number): HTMLTableRowElement {
  return h(
    "tr",
    { class: "gate" },
    h("th", { scope: "rowgroup" }, h("span", { class: "name" }, g.location ?? "(no gate)")),
    h("td", { class: "num" }, count(g.entries)),
    h("td", { class: "num" }, rate(g.entries_last_5_min, 5)),
    h("td", { class: "num" }, rate(g.entries_last_15_min, 15)),
    h("td", { title: g.last_scan_at }, ago(g.last_scan_at, now)),
    h("td", {}, ""),
    h("td", { class: "num" }, ""),
  );
}

function scannerRow(s: GateScanner, marks: string[], now: number): HTMLTableRowElement {
  return h(
    "tr",
    { class: marks.length ? "scanner flagged" : "scanner" },
    h(
      "th",
      { scope: "row" },
      h("span", { class: "name" }, s.scanner_id ?? "(no scanner id)"),
      ...marks.map((m) => h("span", { class: "flag" }, m)),
    ),
    h("td", { class: "num" }, count(s.entries)),
    h("td", { class: "num" }, rate(s.entries_last_5_min, 5)),
    h("td", { class: "num" }, "—"),
    h("td", { title: s.last_scan_at }, ago(s.last_scan_at, now)),
    h(
      "td",
      { title: s.last_sync_at ?? "never used /sync" },
      s.last_sync_at === null ? "—" : ago(s.last_sync_at, now),
    ),
    h("td", { class: "num" }, s.pending === null ? "—" : count(s.pending)),
  );
}

/**
 * By name, numbers in order (gate 2 before gate 10), the unnamed last: rows that stay where
 * they are while a supervisor reads them (the API orders by entries, which move each round).
 */
const collator = new Intl.Collator(undefined, { numeric: true });
const byName =
  <T>(name: (t: T) => string | null) =>
  (a: T, b: T): number => {
    const [x, y] = [name(a), name(b)];
    return x === null ? (y === null ? 0 : 1) : y === null ? -1 : collator.compare(x, y);
  };
/** The scanners the note names, the rest counted: a phone's table is thousands of pixels long. */
const NAMED_MAX = 5;

/** Draws the table; answers the scanners that are quiet ("gate / scanner"), for announce.ts. */
export function renderGates(answer: Gates, now: number): string[] {
  const table = $<HTMLTableElement>("gates");
  // Drawn afresh, then only what changed is touched: rebuilt every round, a big event's
  // ~100 rows cost a desk browser ~55 ms a round and lost any text selected in them.
  const fresh = table.cloneNode(false) as HTMLTableElement;
  if (table.tHead) fresh.append(table.tHead.cloneNode(true));
  fresh.hidden = answer.gates.length === 0;
  const doorsMoving = answer.gates.some((g) => now - Date.parse(g.last_scan_at) <= ACTIVE_MS);
  // Quiet ones first: a scanner gone silent matters more than a backlog being sent.
  const needing: { quiet: boolean; says: string }[] = [];
  const quiet: string[] = [];
  for (const g of [...answer.gates].sort(byName((g) => g.location))) {
    // One tbody per gate: the gate's row heads the group of its scanners.
    const body = fresh.createTBody();
    body.dataset.key = JSON.stringify(g.location);
    body.append(gateRow(g, now));
    for (const s of [...g.scanners].sort(byName((s) => s.scanner_id))) {
      const { quiet: isQuiet, marks } = flags(s, now, doorsMoving);
      const name = s.scanner_id ?? "(no scanner id)";
      if (marks.length) needing.push({ quiet: isQuiet, says: `${name} (${marks.join(", ")})` });
      if (isQuiet) quiet.push(`${g.location ?? "(no gate)"} / ${name}`);
      const row = scannerRow(s, marks, now);
      row.dataset.key = JSON.stringify([g.location, s.scanner_id]);
      body.append(row);
    }
  }
  morphInto(table, fresh);
  const named = listed(
    [...needing.filter((n) => n.quiet), ...needing.filter((n) => !n.quiet)].map((n) => n.says),
  );
  $("gates-note").textContent =
    answer.gates.length === 0
      ? "No scans yet."
      : `${count(answer.count)} ${answer.count === 1 ? "gate" : "gates"}` +
        (doorsMoving
          ? needing.length
            ? ` · ${count(needing.length)} ${needing.length === 1 ? "scanner needs" : "scanners need"} a look: ${named}`
            : " · every scanner active"
          : " · no scan in the last 15 minutes");
  return quiet;
}

/** "a, b and c"; beyond NAMED_MAX, "a, b, c, d, e and 12 more". */
function listed(names: string[]): string {
  const shown = names.slice(0, NAMED_MAX);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(", ")} and ${count(more)} more`;
  return shown.length === 1 ? (shown[0] ?? "") : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}
