// Asking for the reader token, once: when the API answers 401 (none yet, or a refused
// one: the dialog says which) or 403 (a token without the reader role). The token is kept
// in session storage (this tab only, gone when it closes) and sent as a header.
import { token } from "./api.js";
import { $, focusContent } from "./dom.js";
import { held } from "./held.js";

/** A way out of the dialog other than a token: its button's words, and what it does. */
export interface WayOut {
  label: string;
  go: () => void;
}

/** The question open, if any: asked again meanwhile, its listeners go (see askForToken). */
let asked: AbortController | null = null;

/**
 * Settles once a token is given; `leave`, when given, is offered as a way out instead (to
 * the list of events, for a token that may read other events than this one; back to the
 * figures, for a token that still works).
 */
export function askForToken(problem: string | null, leave?: WayOut): Promise<void> {
  const dialog = $<HTMLDialogElement>("token-dialog");
  const form = $<HTMLFormElement>("token-form");
  const input = $<HTMLInputElement>("token-input");
  const error = $("token-error");
  const away = $<HTMLButtonElement>("token-leave");
  error.textContent = problem ?? "";
  error.hidden = problem === null;
  // The field says why its last value was refused, to whoever reaches it.
  if (problem === null) input.removeAttribute("aria-invalid");
  else input.setAttribute("aria-invalid", "true");
  away.hidden = leave === undefined;
  away.textContent = leave?.label ?? "";
  // Asked again while open (the page shown again, its round refused), what is being typed stays.
  if (!dialog.open) input.value = "";
  return new Promise((resolve) => {
    // This question's listeners, all gone once it is answered either way, or when it is
    // asked again (a round refused while it is open): only the newest answers, and its
    // caller carries on (the one before waits for good: it was superseded, as a round is).
    asked?.abort();
    const mine = new AbortController();
    asked = mine;
    const done = () => {
      mine.abort();
      if (asked === mine) asked = null;
      resolve();
    };
    // Without a token there is nothing to show: Escape does not close it.
    dialog.addEventListener("cancel", (e) => e.preventDefault(), { signal: mine.signal });
    form.addEventListener(
      "submit",
      () => {
        // What goes in the header is the token alone: a pasted "Bearer …" loses its prefix.
        token.set(input.value.trim().replace(/^bearer\s+/i, ""));
        // Figures the token before read are not this one's to show after a reload.
        held.forget();
        done();
      },
      { signal: mine.signal },
    );
    away.addEventListener(
      "click",
      () => {
        dialog.close();
        leave?.go();
        done();
      },
      { signal: mine.signal },
    );
    // Closed, the dialog gives the focus back to where it was when it opened: with none
    // there (the page's first load), the figures' part of the page takes it.
    dialog.addEventListener(
      "close",
      () => {
        // On close the focus may still be on the dialog's hidden field, then fall to the body.
        const at = document.activeElement;
        if (at === null || at === document.body || dialog.contains(at)) focusContent();
      },
      { once: true },
    );
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}
