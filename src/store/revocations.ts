// Revoking one scanner's tokens (DESIGN.md, "Auth"): a row per scanner in
// scanner_revocations says its signed tokens issued before `revoked_at` are refused. The
// check rides on the statement that does the work, never a round trip of its own: a
// sync's statement (or transaction, or D1 batch) inserts the revocation its token falls
// under into revocation_guard, whose constraint (`token_revoked`) then fails it whole, so
// nothing of a revoked device's batch is stored; an admission read selects it beside the
// ticket's row. Written once for both dialects with Drizzle's builder, as ./queries.ts is.
import { and, eq, exists, gt, type SQL, sql } from "drizzle-orm";
import type { QueryDb, Tables } from "./queries.js";
import type { DeviceReport, TokenIssue } from "./types.js";

/** The guard table's constraint: a statement failing on it was refused a revoked token. */
export const REVOKED_CONSTRAINT = "token_revoked";

const revokedSince = (t: Tables, token: TokenIssue) =>
  and(
    eq(t.scannerRevocations.scanner_id, token.scanner_id),
    gt(t.scannerRevocations.revoked_at, token.issued_at),
  );

/** Fails the statement (or transaction, or D1 batch) it is part of when `token` is revoked; else inserts nothing. */
function revocationGuard(db: QueryDb, t: Tables, token: TokenIssue) {
  const r = t.scannerRevocations;
  return db
    .insert(t.revocationGuard)
    .select(db.select({ scanner_id: r.scanner_id }).from(r).where(revokedSince(t, token)))
    .getSQL();
}

/** The guard of a sync, as statements to run with it: one if it came with a signed scanner token, else none. */
export function syncGuard(db: QueryDb, t: Tables, report: DeviceReport | undefined): SQL[] {
  if (!report?.token_issued_at) return [];
  return [revocationGuard(db, t, { scanner_id: report.scanner_id, issued_at: report.token_issued_at })];
}

/** True when `token` is revoked: a column of a read that must refuse it (GET /admissions). */
export function isRevoked(db: QueryDb, t: Tables, token: TokenIssue) {
  // Boolean: SQLite answers 0 or 1.
  return exists(db.select({ one: sql`1` }).from(t.scannerRevocations).where(revokedSince(t, token))).mapWith(
    Boolean,
  );
}

/**
 * Revokes a scanner's tokens issued before `at`; a later revocation moves the moment on,
 * an earlier one (another clock) never moves it back. Returns the scanner's row.
 */
export function revocationUpsert(db: QueryDb, t: Tables, scannerId: string, at: Date) {
  const r = t.scannerRevocations;
  return db
    .insert(r)
    .values({ scanner_id: scannerId, revoked_at: at })
    .onConflictDoUpdate({
      target: r.scanner_id,
      set: {
        revoked_at: sql`CASE WHEN excluded.revoked_at > ${r.revoked_at} THEN excluded.revoked_at ELSE ${r.revoked_at} END`,
      },
    })
    .returning({ scanner_id: r.scanner_id, revoked_at: r.revoked_at });
}
