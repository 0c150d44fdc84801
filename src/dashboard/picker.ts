// Choosing the event: a select in the header (every page) and, before one is chosen, a list
// of the events GET /stats names (with records; a scoped reader's: each of its events), most
// recently updated first. The choice is the page's `event_id` query parameter, so a link
// opens that event directly.
import { $, h } from "./dom.js";
import { plural, time } from "./format.js";
import type { AllEventStats, EventStats } from "./types.js";

function newestFirst(events: AllEventStats): EventStats[] {
  return Object.values(events).sort(
    (a, b) =>
      (b.last_updated ?? "").localeCompare(a.last_updated ?? "") || a.event_id.localeCompare(b.event_id),
  );
}

export function linkTo(eventId: string): string {
  const url = new URL(location.href);
  url.searchParams.set("event_id", eventId);
  return url.pathname + url.search;
}

export function renderPicker(events: AllEventStats, chosen: string | null): void {
  const select = $<HTMLSelectElement>("event-picker");
  const list = newestFirst(events);
  const ids = list.map((e) => e.event_id);
  // An event given in the link but without records yet is still the one shown.
  if (chosen !== null && !ids.includes(chosen)) ids.unshift(chosen);
  // A choice being made with the keyboard (onPick: stepped to, not yet taken) stays made.
  const choosing = document.activeElement === select ? select.value : null;
  const current = Array.from(select.options, (o) => o.value).slice(1);
  if (current.join("\n") !== ids.join("\n")) {
    select.replaceChildren(
      h("option", { value: "" }, "Choose an event…"),
      ...ids.map((id) => h("option", { value: id }, id)),
    );
  }
  select.value = choosing !== null && (choosing === "" || ids.includes(choosing)) ? choosing : (chosen ?? "");
}

const noteOf = (e: EventStats, now: number) =>
  // An event of a scoped reader's token, before its doors open.
  e.last_updated === null
    ? "No records yet"
    : `${plural(e.scan_count, "scan")} · ${plural(e.invalid_attempt_count, "invalid attempt")} · updated ${time(e.last_updated, now)}`;

/**
 * The list of events, redrawn on every poll: the same events in the same order keep their
 * links and only their notes change, so a link that has the keyboard's focus keeps it.
 */
export function renderChooser(events: AllEventStats, now: number): void {
  const list = newestFirst(events);
  $("choose-empty").hidden = list.length > 0;
  const ul = $("event-list");
  const shown = Array.from(ul.children, (li) => (li as HTMLElement).dataset.event);
  if (shown.join("\n") === list.map((e) => e.event_id).join("\n")) {
    list.forEach((e, i) => {
      const note = ul.children[i]?.querySelector(".note");
      if (note) note.textContent = noteOf(e, now);
    });
    return;
  }
  const focused = (document.activeElement?.closest("li") as HTMLElement | null)?.dataset.event;
  ul.replaceChildren(
    ...list.map((e) =>
      h(
        "li",
        { "data-event": e.event_id },
        h(
          "a",
          { href: linkTo(e.event_id) },
          h("strong", {}, e.event_id),
          h("p", { class: "note" }, noteOf(e, now)),
        ),
      ),
    ),
  );
  // A new order (an event updated): the focus follows its event.
  if (focused !== undefined)
    Array.from(ul.children)
      .find((li) => (li as HTMLElement).dataset.event === focused)
      ?.querySelector("a")
      ?.focus();
}

/** Keys that step a closed select's value to the next option without opening its list. */
const isStep = (e: KeyboardEvent) =>
  !e.altKey && (e.key.startsWith("Arrow") || ["Home", "End", "PageUp", "PageDown"].includes(e.key));

/**
 * Calls `pick` with the select's event once the reader has chosen it: at once for a choice
 * made in its opened list (a pointer, a phone's wheel), but after the arrow keys on the
 * closed select, which change its value an option at a time, only on Enter or on leaving
 * it. The figures load for the event meant, not for each one passed on the way (WCAG
 * 3.2.2, on input), and Back is not filled with them.
 */
export function onPick(
  select: HTMLSelectElement,
  pick: (id: string | null) => void,
  shown: () => string | null,
) {
  let stepping = false;
  const commit = () => {
    stepping = false;
    const id = select.value || null;
    if (id !== shown()) pick(id);
  };
  select.addEventListener("pointerdown", () => {
    stepping = false;
  });
  select.addEventListener("keydown", (e) => {
    if (isStep(e) || (e.key.length === 1 && e.key !== " ")) stepping = true;
    else if (e.key === "Enter") commit();
  });
  select.addEventListener("change", () => {
    if (!stepping) commit();
  });
  select.addEventListener("blur", () => {
    if (stepping) commit();
  });
}
