// One contract for every store driver: the same behaviour on better-sqlite3 (writer
// thread and inline), node-postgres, D1 and Neon. test/contract/store.test.ts runs it on
// the Node drivers, test/workers/store-contract.test.ts on D1 and Neon inside workerd.
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { Store } from "../../src/store/types.js";
import type { TestStore } from "../support/test-store.js";
import { alertSignals } from "./store-contract/alerts.js";
import type { ContractContext } from "./store-contract/context.js";
import { entryFlow } from "./store-contract/entry-flow.js";
import { notMigrated } from "./store-contract/not-migrated.js";
import { pages } from "./store-contract/pages.js";
import { purge } from "./store-contract/purge.js";
import { reads } from "./store-contract/reads.js";
import { revocations } from "./store-contract/revocations.js";
import { syncAtomicity, syncs } from "./store-contract/syncs.js";
import { transferSignals } from "./store-contract/transfers.js";
import { writes } from "./store-contract/writes.js";

export interface ContractDriver {
  name: string;
  /** A store on a migrated database of its own, and the raw counts behind its stats. */
  open(): Promise<TestStore>;
  /** A store on a database without the schema (migrations never applied). */
  openUnmigrated(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

/** Registers the contract's tests for `driver` in the calling describe block. */
export function storeContract(driver: ContractDriver) {
  notMigrated(driver.openUnmigrated);
  describe("on a migrated database", () => {
    let t: TestStore | undefined;
    beforeAll(async () => {
      t = await driver.open();
    });
    afterAll(async () => {
      await t?.cleanup();
    });
    const opened = () => {
      if (!t) throw new Error("the store exists only from beforeAll on");
      return t;
    };
    const c: ContractContext = {
      get store() {
        return opened().store;
      },
      rawCounts: (e) => opened().rawCounts(e),
      get raw() {
        return opened().raw;
      },
      exec: (statement) => opened().exec(statement),
      async expectExact(eventId) {
        const { event_id, last_updated, ...counted } = await opened().store.eventStats(eventId);
        expect(event_id).toBe(eventId);
        expect(counted).toEqual(await opened().rawCounts(eventId));
        return counted;
      },
    };
    writes(c);
    reads(c);
    pages(c);
    syncs(c);
    syncAtomicity(c);
    purge(c);
    entryFlow(c);
    transferSignals(c);
    alertSignals(c);
    revocations(c);
  });
}
