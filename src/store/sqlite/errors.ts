// SQLite errors (better-sqlite3, its writer thread, D1) as the store's own. better-sqlite3
// gives SQLite's result code; D1 only a message ("D1_ERROR: no such table: ...").
import { causeChain } from "../../errors.js";
import { type Classify, isNetworkFailure } from "../errors.js";
import { REVOKED_CONSTRAINT } from "../revocations.js";

/** The code of a call the embedded writer thread died under (./embedded/thread.ts). */
export const WRITER_DOWN = "SQLITE_WRITER_DOWN";

const MISSING_SCHEMA = /no such table|no such column|has no column named/i;
/**
 * More than SQLite or D1 takes at once: a value over its size limit (D1: 2 MB), a statement
 * too long, or more queries than a Worker's request may make (D1: 50, or 1,000 paid; a
 * sync's statements grow with the events it names). Too many bound values is not one: the
 * code keeps within D1's 100, and past them is a bug (a 500).
 */
const TOO_BIG =
  /SQLITE_TOOBIG|string or blob too big|statement too long|too many API requests by single worker invocation/i;
/** The revocation guard's constraint failed: the transaction (or D1 batch) refused a revoked token. */
const REVOKED = new RegExp(`CHECK constraint failed: ${REVOKED_CONSTRAINT}\\b`);

export const classifySqlite: Classify = (err) => {
  for (const e of causeChain(err)) {
    const code = String((e as { code?: unknown }).code ?? "");
    const message = e instanceof Error ? e.message : String(e);
    if (MISSING_SCHEMA.test(message)) return "not_migrated";
    if (REVOKED.test(message)) return "revoked";
    if (code === "SQLITE_TOOBIG" || TOO_BIG.test(message)) return "too_big";
    if (/^SQLITE_(BUSY|LOCKED)/.test(code) || /database is locked/i.test(message)) return "busy";
    // The writer thread died under the call (its transaction rolled back); the file cannot
    // be opened, read or written (read-only, full, damaged); D1 lost its connection or was reset.
    if (code === WRITER_DOWN || /^SQLITE_(CANTOPEN|IOERR|FULL|NOTADB|READONLY|CORRUPT)/.test(code))
      return "unavailable";
    if (/D1_ERROR.*(network|connection|reset|overloaded|timed? ?out)/i.test(message)) return "unavailable";
  }
  return isNetworkFailure(err) ? "unavailable" : null;
};
