// Asking for the reader token, once: when the API answers 401 (none yet, or a refused
// one: the dialog says which) or 403 (a token without the reader role). The token is kept
// in session storage (this tab only, gone when it closes) and sent as a header.
import { token } from "./api.js";
import { $ } from "./dom.js";

export function askForToken(problem: string | null): Promise<void> {
  const dialog = $<HTMLDialogElement>("token-dialog");
  const form = $<HTMLFormElement>("token-form");
  const input = $<HTMLInputElement>("token-input");
  const error = $("token-error");
  error.textContent = problem ?? "";
  error.hidden = problem === null;
  input.value = "";
  return new Promise((resolve) => {
    // Without a token there is nothing to show: Escape does not close it.
    const stay = (e: Event) => e.preventDefault();
    dialog.addEventListener("cancel", stay);
    form.addEventListener(
      "submit",
      () => {
        token.set(input.value.trim());
        dialog.removeEventListener("cancel", stay);
        resolve();
      },
      { once: true },
    );
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}
