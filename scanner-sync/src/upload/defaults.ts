// The defaults that the CLI's help shows: a file of their own, so that declaring `sync` and
// `check` (which every command does, to parse its arguments) loads neither the uploader
// nor the admission check.

// Four: the server then always has a batch parsed and waiting while one commits and
// another is on the wire (a drain of 100k scans measured ~15% faster than with two).
export const DEFAULT_MAX_IN_FLIGHT = 4;

// A gate asks while a person waits at the turnstile: past this it answers from its own
// buffer instead, rather than hold the queue for a server that may never answer.
export const DEFAULT_ADMISSION_TIMEOUT_MS = 1500;
