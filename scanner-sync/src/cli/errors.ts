// How the CLI ends: one line saying what went wrong, and an exit code a supervisor can
// act on. 0: done; 1: needs a person (bad input, token, URL, database); 75 (EX_TEMPFAIL):
// the server was unreachable or overloaded (records kept), or the buffer was locked too
// long by other processes (nothing done): try again later.
import { BufferUnavailable, ImportRefused, RecordRefused } from "../buffer/errors.js";
import { SyncFatal, SyncUnavailable } from "../upload/errors.js";

export const EXIT = { ok: 0, error: 1, tempfail: 75, interrupted: 130 } as const;

/**
 * What `check` answers, for a gate app to branch on (its errors end with EXIT's codes):
 * not admitted (the server says so: let them in); admitted already (by the server, or by
 * a valid scan on this device: refuse); unknown (no answer from the server, and this
 * device has no valid scan of the ticket: the gate's policy decides).
 */
export const CHECK_EXIT = { notAdmitted: 0, admitted: 10, unknown: 11 } as const;

const MAX_LINES = 50;

export function reportError(err: unknown): number {
  const say = (line: string) => process.stderr.write(`veritix-scanner: ${line}\n`);
  if (err instanceof ImportRefused) {
    say(err.message);
    for (const i of err.issues.slice(0, MAX_LINES)) {
      process.stderr.write(`  line ${i.line}: ${i.path ? `${i.path}: ` : ""}${i.message}\n`);
    }
    if (err.issues.length > MAX_LINES)
      process.stderr.write(`  … and ${err.issues.length - MAX_LINES} more\n`);
    return EXIT.error;
  }
  if (err instanceof SyncUnavailable) {
    say(err.message);
    return EXIT.tempfail;
  }
  if (err instanceof RecordRefused || err instanceof BufferUnavailable || err instanceof SyncFatal) {
    say(err.message);
    return EXIT.error;
  }
  // Other processes held the buffer past its busy timeout: this command's transaction
  // rolled back whole, so running it again is safe (and for `record`, needed).
  if ((err as { code?: unknown }).code === "SQLITE_BUSY") {
    say(
      "the buffer stayed locked by other processes (5 s): nothing was stored by this command; run it again",
    );
    return EXIT.tempfail;
  }
  say(err instanceof Error ? err.message : String(err));
  if (process.env.DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return EXIT.error;
}

/** A command's action: whatever it throws becomes one line on stderr and an exit code. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number | undefined> | number | undefined,
) {
  return async (...args: A) => {
    try {
      process.exitCode = (await fn(...args)) ?? EXIT.ok;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}
