// The store contract on a database without the schema: every call rejects with the
// store's own error, not_migrated, whose message says what to run (the HTTP edge answers
// it with 503 database_not_migrated).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../../../src/store/errors.js";
import type { Store } from "../../../src/store/types.js";
import { batch, scanRow } from "../../support/records.js";

export function notMigrated(openUnmigrated: () => Promise<{ store: Store; cleanup(): Promise<void> }>) {
  describe("on a database without the schema", () => {
    let u: { store: Store; cleanup(): Promise<void> };
    beforeAll(async () => {
      u = await openUnmigrated();
    });
    afterAll(async () => {
      await u?.cleanup();
    });

    it("rejects ping, reads and writes with StoreError not_migrated, whose message says what to run", async () => {
      const report = {
        scanner_id: "gate-1",
        received_at: new Date(),
        sent_at: new Date(),
        items: 1,
        rejected: 0,
        pending: null,
        oldest_pending_at: null,
        app_version: null,
      };
      const calls: [string, () => Promise<unknown>][] = [
        ["ping", () => u.store.ping()],
        ["eventStats", () => u.store.eventStats("e")],
        ["allStats", () => u.store.allStats()],
        ["listScans", () => u.store.listScans({ event_id: "e", limit: 10 })],
        ["insert", () => u.store.insert(batch({ scans: [scanRow()] }))],
        ["sync", () => u.store.sync(batch({ scans: [scanRow()] }), report)],
        ["deviceHealth", () => u.store.deviceHealth()],
      ];
      for (const [name, call] of calls) {
        const err = await call().then(
          () => new Error(`${name} resolved`),
          (e: unknown) => e,
        );
        expect({ name, error: err }).toEqual({ name, error: expect.any(StoreError) });
        expect({ name, failure: (err as StoreError).failure }).toEqual({ name, failure: "not_migrated" });
        expect((err as StoreError).message).toMatch(/no schema: .*migrat/);
      }
    });
  });
}
