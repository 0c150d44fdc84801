// Postgres errors (node-postgres and Neon report the same SQLSTATEs) as the store's own.
import { causeChain } from "../../errors.js";
import { type Classify, isNetworkFailure, type StoreFailure } from "../errors.js";
import { REVOKED_CONSTRAINT } from "../revocations.js";

/** By SQLSTATE: exact codes first, then classes (the first two characters). */
const BY_CODE: Record<string, StoreFailure> = {
  "42P01": "not_migrated", // undefined_table
  "42703": "not_migrated", // undefined_column
  "3D000": "unavailable", // invalid_catalog_name: the database itself is gone
  "53300": "unavailable", // too_many_connections
  // insufficient_privilege: the role lost a grant. Not the request's doing, and nothing
  // it can fix; an operator must (the log names the table).
  "42501": "unavailable",
  "55P03": "busy", // lock_not_available: lock_timeout, an event's writer frozen (./node-pg.ts)
  "25P03": "unavailable", // idle_in_transaction_session_timeout: this server was the frozen one
  "40P01": "busy", // deadlock_detected (left after the store's own retries)
  "40001": "busy", // serialization_failure
};
const BY_CLASS: Record<string, StoreFailure> = {
  "08": "unavailable", // connection exception
  "57": "unavailable", // operator intervention: shutdown, restart
};

export const classifyPg: Classify = (err) => {
  for (const e of causeChain(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) continue;
    // check_violation on the revocation guard: the statement refused a revoked token.
    if (code === "23514" && (e as { constraint?: unknown }).constraint === REVOKED_CONSTRAINT)
      return "revoked";
    const known = BY_CODE[code] ?? BY_CLASS[code.slice(0, 2)];
    if (known) return known;
  }
  return isNetworkFailure(err) ? "unavailable" : null;
};

/** Whether Postgres aborted the statement to break a deadlock (it may simply run again). */
export const isDeadlock = (err: unknown): boolean =>
  [...causeChain(err)].some((e) => (e as { code?: unknown }).code === "40P01");
