// The alerts panel (GET /stats/alerts: double entries with both devices, transfer chains,
// bursts of invalid records) and the latest invalid attempts (GET /stats/invalid-attempts).
import { $, h, morphInto } from "./dom.js";
import { count, plural, time } from "./format.js";
import type { Alert, Alerts, InvalidAttempts } from "./types.js";

/** How many of each the page lists; the summary counts them all. */
export const SHOWN = 8;

export type Kind = keyof Alerts["summary"];
const KIND_NAMES: Record<Kind, [one: string, many: string]> = {
  double_entry: ["double entry", "double entries"],
  transfer_chain: ["transfer chain", "transfer chains"],
  invalid_burst: ["invalid burst", "invalid bursts"],
};
export const ALERT_KINDS = Object.keys(KIND_NAMES) as Kind[];

/** "2 double entries": the summary's words, and what announce.ts says of new ones. */
export const alertCount = (kind: Kind, n: number): string => plural(n, ...KIND_NAMES[kind]);

type Seen = Extract<Alert, { kind: "double_entry" }>["first"];

const KEY_KINDS: Record<Extract<Alert, { kind: "invalid_burst" }>["key_kind"], string> = {
  ip_address: "IP address",
  scanner_id: "scanner",
  ticket_id: "ticket",
};

const where = (s: Seen, now: number) =>
  `${s.location ?? "(no gate)"} / ${s.scanner_id ?? "(no scanner id)"} at ${time(s.scan_timestamp, now)}`;

function describe(a: Alert, now: number): [string, string] {
  switch (a.kind) {
    case "double_entry":
      return [
        `Ticket ${a.ticket_id} entered ${a.valid_scans} times` +
          (a.offline ? " (offline)" : "") +
          (a.passback ? " (passback)" : ""),
        `1st: ${where(a.first, now)} · 2nd: ${where(a.second, now)}`,
      ];
    case "transfer_chain":
      return [
        `Ticket ${a.ticket_id} transferred ${a.successful_transfers} times`,
        a.chain.join(" → ") +
          (a.failed_transfers ? ` · ${plural(a.failed_transfers, "failed transfer")}` : ""),
      ];
    case "invalid_burst":
      return [
        `${count(a.count)} invalid from ${KEY_KINDS[a.key_kind]} ${a.key} in one minute`,
        `${time(a.minute, now)} · ${a.reasons.map((r) => `${r.reason} ×${count(r.count)}`).join(", ")}`,
      ];
  }
}

/** What an alert is about, whatever its figures: its item stays the same element while listed. */
function alertKey(a: Alert): string {
  switch (a.kind) {
    case "double_entry":
    case "transfer_chain":
      return JSON.stringify([a.kind, a.ticket_id]);
    case "invalid_burst":
      return JSON.stringify([a.kind, a.key_kind, a.key, a.minute]);
  }
}

/** `kind`: the kind the list was asked for (null: every kind). */
export function renderAlerts(answer: Alerts, now: number, kind: Kind | null): void {
  const s = answer.summary;
  $("alert-summary").textContent =
    ALERT_KINDS.map((k) => alertCount(k, s[k])).join(" · ") +
    (answer.alerts.length ? ` · newest ${answer.alerts.length} below` : "");
  // The kind picked says which list this is (figures kept over a reload, too).
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="alert-kind"]'))
    input.checked = input.value === (kind ?? "");
  const list = $("alerts");
  const fresh = list.cloneNode(false) as HTMLElement;
  fresh.append(
    ...(answer.alerts.length === 0
      ? [h("li", { class: "none" }, kind === null ? "No alerts." : `No ${KIND_NAMES[kind][1]}.`)]
      : answer.alerts.map((a) => {
          const [what, detail] = describe(a, now);
          const item = h(
            "li",
            { class: a.severity },
            h("span", { class: `sev ${a.severity}` }, a.severity),
            // Read as "high: Ticket …", not "highTicket …".
            h("span", { class: "sr-only" }, ": "),
            h("span", { class: "what" }, what),
            h("div", { class: "detail" }, detail),
          );
          item.dataset.key = alertKey(a);
          return item;
        })),
  );
  // Only what changed is touched: a ticket id being selected to look up stays selected
  // while its alert is listed (at a big event the list changes every round).
  morphInto(list, fresh);
}

export function renderAttempts(answer: InvalidAttempts, now: number): void {
  const body = $<HTMLTableElement>("attempts").tBodies[0];
  if (!body) return;
  body.replaceChildren(
    ...(answer.attempts.length === 0
      ? [h("tr", {}, h("td", { colspan: "4" }, "None."))]
      : answer.attempts.map((a) =>
          h(
            "tr",
            {},
            h("td", { title: a.attempt_timestamp }, time(a.attempt_timestamp, now)),
            h("td", {}, `${a.reason} (${a.attempt_type})`),
            h("td", {}, a.ticket_id ?? "—"),
            h("td", {}, a.ip_address ?? "—"),
          ),
        )),
  );
}
