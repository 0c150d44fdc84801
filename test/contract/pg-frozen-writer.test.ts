// Several servers on one Postgres, one of them frozen mid-transaction (a VM paused, a swap
// storm): its transaction holds its event's lock (src/store/pg/batch-sql.ts). Before the
// sessions had limits of their own, every other server's writes to that event queued behind
// it for good, each timed-out wait a backend left waiting. The frozen server is a session
// with the server's own limits (sessionLimitsSql) that took the lock and stopped there.
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_LOCKS } from "../../src/store/pg/batch-sql.js";
import { classifyPg } from "../../src/store/pg/errors.js";
import { limitedClient, nodePgStore, sessionLimitsSql } from "../../src/store/pg/node-pg.js";
import { poolTransaction } from "../../src/store/pg/pool-transaction.js";
import type { Store } from "../../src/store/types.js";
import { createTestDatabase, type TestDatabase } from "../support/pg.js";
import { batch, scanRow } from "../support/records.js";
import { countsQuery, numbers, rejectionOf, stores } from "../support/test-store.js";

const LIMITS = { lockTimeoutMs: 500, idleInTransactionMs: 2000, statementTimeoutMs: 5000 };

describe("a server frozen mid-transaction, on a database other servers write to", () => {
  let database: TestDatabase;
  let store: Store;
  let watcher: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await nodePgStore({ url: database.url, max: 4, ...LIMITS });
    watcher = new pg.Client({ connectionString: database.url });
    await watcher.connect();
  });
  afterAll(async () => {
    await watcher?.end();
    await store?.close();
    await database?.drop();
  });

  /** Backends of this database waiting for a lock. */
  const waiting = async () =>
    (
      await watcher.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      )
    ).rows[0]?.n;

  it("fails the writes of its event as busy, no backend left waiting, and lets them through once Postgres ends its transaction", async () => {
    const e = `frozen-${Date.now()}`;
    const other = `${e}-other`;
    await store.insert(batch({ scans: [scanRow({ event_id: e, ticket_id: "before" })] }));

    const frozen = new pg.Client({ connectionString: database.url });
    frozen.on("error", () => {}); // Postgres ends its session: that is the point
    await frozen.connect();
    await frozen.query(sessionLimitsSql(LIMITS));
    await frozen.query("BEGIN");
    await frozen.query("SELECT pg_advisory_xact_lock($1, hashtext($2::text))", [EVENT_LOCKS, e]);

    // Its event's writes fail as busy (a 503 with Retry-After) after the lock timeout, and
    // leave no backend behind them; other events' writes go on.
    const started = Date.now();
    const refused = await rejectionOf(
      store.insert(batch({ scans: [scanRow({ event_id: e, ticket_id: "during" })] })),
    );
    expect(refused).toMatchObject({ name: "StoreError", failure: "busy" });
    expect(Date.now() - started).toBeLessThan(LIMITS.idleInTransactionMs);
    expect(await waiting()).toBe(0);
    await store.insert(batch({ scans: [scanRow({ event_id: other, ticket_id: "elsewhere" })] }));

    // Postgres ends the frozen transaction: its lock goes, and the event's writes go through.
    const after = scanRow({ event_id: e, ticket_id: "after" });
    await expect
      .poll(() => stores(store, batch({ scans: [after] })), {
        timeout: 5 * LIMITS.idleInTransactionMs,
        interval: 200,
      })
      .toBe(true);
    await expect(frozen.query("SELECT 1")).rejects.toThrow();
    await frozen.end().catch(() => {});

    // Exact: what was refused was not stored, what went through counts once.
    const raw = numbers((await watcher.query(countsQuery("$1"), [e])).rows[0]);
    expect(raw.scan_count).toBe(2);
    const stats = await watcher.query<{ n: number }>(
      "SELECT coalesce(sum(scan_count), 0)::int AS n FROM analytics_stats WHERE event_id = $1",
      [e],
    );
    expect(stats.rows[0]?.n).toBe(raw.scan_count);
  });
  it("fails a whole group of writes waiting behind a lock held by a working session at once, not one wait after another", async () => {
    const e = `held-${Date.now()}`;
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      // Holding the event's lock, and busy (not idle in its transaction): a long statement.
      await holder.query("SELECT pg_advisory_xact_lock($1, hashtext($2::text))", [EVENT_LOCKS, e]);
      const working = holder.query("SELECT pg_sleep(4)");
      const started = Date.now();
      const writes = Array.from({ length: 12 }, (_, i) =>
        rejectionOf(store.insert(batch({ scans: [scanRow({ event_id: e, ticket_id: `w-${i}` })] }))),
      );
      const refused = await Promise.all(writes);
      expect(refused.map((r) => (r as { failure?: string } | null)?.failure)).toEqual(
        refused.map(() => "busy"),
      );
      // One wait for the lock and one for the group that formed meanwhile, not 13.
      expect(Date.now() - started).toBeLessThan(6 * LIMITS.lockTimeoutMs);
      await working;
      await holder.query("COMMIT");
    } finally {
      await holder.end();
    }
  });

  it("does not crash when Postgres ends this server's own transaction left idle, and fails it as unavailable", async () => {
    const pool = new pg.Pool({
      connectionString: database.url,
      max: 1,
      Client: limitedClient({ ...LIMITS, idleInTransactionMs: 300 }),
    });
    pool.on("error", () => {});
    try {
      const transact = poolTransaction(pool);
      const failed = await rejectionOf(
        transact(async (tx) => {
          await tx.execute(sql`SELECT 1`);
          await new Promise((r) => setTimeout(r, 1000)); // frozen, as far as Postgres can tell
          await tx.execute(sql`SELECT 2`);
        }),
      );
      expect(classifyPg(failed)).toBe("unavailable");
      // Its connection is gone from the pool; the next transaction gets a good one.
      const again = await transact(
        async (tx) => (await tx.execute(sql`SELECT 3 AS n`)) as { rows: unknown[] },
      );
      expect(again.rows).toEqual([{ n: 3 }]);
    } finally {
      await pool.end();
    }
  });
});
