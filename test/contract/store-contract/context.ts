// What the store contract's tests get: the store under test (set once beforeAll ran), the
// raw counts behind its stats, and the check that the stats equal them.

import type { Store } from "../../../src/store/types.js";
import type { RawCounts, TestStore } from "../../support/test-store.js";

export interface ContractContext {
  readonly store: Store;
  rawCounts(eventId: string): Promise<RawCounts>;
  /** The database itself, read apart from the store. */
  readonly raw: TestStore["raw"];
  /** Runs a statement on a connection apart from the store's (TestStore's exec). */
  exec(statement: string): Promise<void>;
  /** The event's stats, checked to equal the counts of its raw records; answers the counters. */
  expectExact(eventId: string): Promise<RawCounts>;
}

let n = 0;
/** An event no other test of the run uses. */
export const freshEvent = () => `event_${Date.now()}_${n++}`;
export const at = (iso: string) => new Date(iso);
/** A purge's `received` bound that every record stored so far is before (a second to spare). */
export const receivedSoFar = () => new Date(Date.now() + 1000);
