// Test stores on each Node driver, with a way to count the raw rows behind the stats
// (the stats must always equal them).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { betterSqliteStore } from "../../src/store/better-sqlite.js";
import { nodePgStore } from "../../src/store/node-pg.js";
import type { EventStats, Store } from "../../src/store/types.js";
import { createTestDatabase } from "./pg.js";

export type RawCounts = Omit<EventStats, "event_id" | "last_updated">;

export interface TestStore {
  store: Store;
  /** Counts computed from the record tables themselves, not from analytics_stats. */
  rawCounts(eventId: string): Promise<RawCounts>;
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

export async function sqliteTestStore(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), "veritix-test-"));
  const path = join(dir, "test.db");
  const store = betterSqliteStore({ path });
  const reader = new Database(path, { readonly: true });
  const counts = reader.prepare(countsQuery("@e"));
  return {
    store,
    rawCounts: async (e) => numbers(counts.get({ e }) as Record<string, unknown>),
    async cleanup() {
      reader.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function pgTestStore(): Promise<TestStore> {
  const db = await createTestDatabase();
  const store = await nodePgStore({ url: db.url });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return {
    store,
    rawCounts: async (e) => numbers((await client.query(countsQuery("$1"), [e])).rows[0]),
    async cleanup() {
      await client.end();
      await store.close();
      await db.drop();
    },
  };
}
