// What every driver's contract test gets: a store plus the raw counts behind its stats.
// No runtime imports: the workerd tests (test/workers) use it too.
import type { EventStats, Store } from "../../src/store/types.js";
import type { Dialect, RawQuery } from "./entry-flow-recompute.js";

export type RawCounts = Omit<EventStats, "event_id" | "last_updated">;

/** What a call failed with, or null when it succeeded: a fault test's one look at it. */
export const rejectionOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (err: unknown) => err,
  );

/** Whether `store` stores `batch` now: for polling until a store writes again. */
export const stores = (store: Store, batch: Parameters<Store["insert"]>[0]): Promise<boolean> =>
  store.insert(batch).then(
    () => true,
    () => false,
  );

export interface TestStore {
  store: Store;
  /** Counts computed from the record tables themselves, not from analytics_stats. */
  rawCounts(eventId: string): Promise<RawCounts>;
  /** The database itself, read apart from the store (test/support/entry-flow-recompute.ts). */
  raw: { dialect: Dialect; query: RawQuery };
  /** Runs a statement on a connection of the test's own, writes and DDL too (fault injection). */
  exec(statement: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** Counts per event from the record tables; `p` is the dialect's placeholder. */
export const countsQuery = (p: string) => `SELECT
  (SELECT count(*) FROM ticket_scans WHERE event_id = ${p}) AS scan_count,
  (SELECT count(*) FROM ticket_transfers WHERE event_id = ${p}) AS transfer_count,
  (SELECT count(*) FROM invalid_attempts WHERE event_id = ${p}) AS invalid_attempt_count,
  (SELECT count(*) FROM ticket_scans WHERE event_id = ${p} AND is_valid) AS valid_scan_count,
  (SELECT count(*) FROM ticket_scans WHERE event_id = ${p} AND NOT is_valid) AS invalid_scan_count,
  (SELECT count(*) FROM ticket_transfers WHERE event_id = ${p} AND is_successful) AS successful_transfer_count,
  (SELECT count(*) FROM ticket_transfers WHERE event_id = ${p} AND NOT is_successful) AS failed_transfer_count`;

export const numbers = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as RawCounts;
