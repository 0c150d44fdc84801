/**
 * `action` on this tab's session storage; `fallback` when the browser refuses it: storage
 * full, or refused outright (site data blocked, as Chrome and managed phones can: merely
 * reading `sessionStorage` then throws a SecurityError).
 */
export function inStorage<T>(action: (s: Storage) => T, fallback: T): T {
  try {
    return action(sessionStorage);
  } catch {
    return fallback;
  }
}
