// Several servers on one Postgres, one of them frozen mid-transaction (a VM paused, a swap
// storm): its transaction holds its event's lock (src/store/pg/batch-sql.ts). Before the
// sessions had limits of their own, every other server's writes to that event queued behind
// it for good, each timed-out wait a backend left waiting. The frozen server is a session
// with the server's own limits (sessionLimits) that took the lock and stopped there.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_LOCKS } from "../../src/store/pg/batch-sql.js";
import { nodePgStore, sessionLimits } from "../../src/store/pg/node-pg.js";
import type { Store } from "../../src/store/types.js";
import { createTestDatabase, type TestDatabase } from "../support/pg.js";
import { batch, scanRow } from "../support/records.js";
import { countsQuery, numbers, rejectionOf } from "../support/test-store.js";

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

    const frozen = new pg.Client({ connectionString: database.url, ...sessionLimits(LIMITS) });
    frozen.on("error", () => {}); // Postgres ends its session: that is the point
    await frozen.connect();
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
      .poll(
        () =>
          store.insert(batch({ scans: [after] })).then(
            () => true,
            () => false,
          ),
        { timeout: 5 * LIMITS.idleInTransactionMs, interval: 200 },
      )
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
});
