// The little the page needs of a UI layer: find an element of the page, make one, make
// one become another.
import morphdom from "morphdom";

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`class`, `title`, `data-*`, ...) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "number" ? String(c) : c);
  }
  return el;
}

/**
 * Makes `el` what `fresh` (drawn anew, detached) is, touching only what differs (morphdom):
 * an element with the same `data-key` stays the same element, so a screen reader's place
 * and a selection in it survive a round, and the browser lays out only what changed.
 */
export function morphInto(el: HTMLElement, fresh: HTMLElement): void {
  morphdom(el, fresh, {
    getNodeKey: (n) => (n instanceof HTMLElement ? n.dataset.key || n.id || undefined : undefined),
  });
}

/**
 * Hides or shows a part of the page. One that holds the keyboard's focus hands it to the
 * page's main content first: left on a hidden element, focus falls to the top of the page
 * and a keyboard or screen-reader user starts again from there.
 */
export function setHidden(el: HTMLElement, hidden: boolean): void {
  if (hidden && !el.hidden && el.contains(document.activeElement)) focusContent();
  el.hidden = hidden;
}

/** The main content takes the focus (it is focusable by script only: tabindex -1). */
export function focusContent(): void {
  $("content").focus({ preventScroll: true });
}
