// node-postgres behind a network partition: the connections stay open but nothing more
// comes through (a dropped NAT entry, a firewall), as a TCP switch between the store and
// Postgres makes it (test/support/tcp-switch.ts). Without a statement timeout, the write in
// flight waited for ever, every write queued behind it (group commit runs one group at a
// time) with it, even once the network was back, and closing the store never ended.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorFields } from "../../src/observability/logger.js";
import { nodePgStore } from "../../src/store/pg/node-pg.js";
import type { Store } from "../../src/store/types.js";
import { createTestDatabase, type TestDatabase } from "../support/pg.js";
import { attemptRow, batch, scanRow } from "../support/records.js";
import { type TcpSwitch, tcpSwitch } from "../support/tcp-switch.js";
import { countsQuery, numbers, rejectionOf, stores } from "../support/test-store.js";

const TIMEOUT_MS = 1000;

describe("node-postgres behind a network partition", () => {
  let database: TestDatabase;
  let sw: TcpSwitch;
  let store: Store;
  const open = () => {
    const through = new URL(database.url);
    through.host = new URL(sw.url).host;
    return nodePgStore({
      url: through.toString(),
      max: 2,
      statementTimeoutMs: TIMEOUT_MS,
      connectTimeoutMs: TIMEOUT_MS,
    });
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    const direct = new URL(database.url);
    sw = await tcpSwitch(`http://${direct.host}`);
    store = await open();
  });
  afterAll(async () => {
    await sw?.close();
    await database?.drop();
  });

  it("fails a write that gets no answer as unavailable, writes again once the network is back, and closes", async () => {
    const e = `partition-${Date.now()}`;
    await store.insert(batch({ scans: [scanRow({ event_id: e, ticket_id: "before" })] }));

    sw.silence();
    const started = Date.now();
    const failed = await rejectionOf(
      store.insert(batch({ scans: [scanRow({ event_id: e, ticket_id: "during-a.person@example.com" })] })),
    );
    expect(failed).toMatchObject({ name: "StoreError", failure: "unavailable" });
    expect(Date.now() - started).toBeLessThan(10 * TIMEOUT_MS);
    // What the server logs of it: the reason and the statement's start, not the record.
    const logged = JSON.stringify(errorFields(failed));
    expect(logged).toMatch(/timeout/i);
    expect(logged).not.toContain("a.person@example.com");
    expect(logged.length).toBeLessThan(1000);

    sw.heal();
    // The same record until it is stored: a connection the partition killed may be handed
    // out once more, and fail as the first did.
    const after = scanRow({ event_id: e, ticket_id: "after" });
    await expect
      .poll(() => stores(store, batch({ scans: [after] })), { timeout: 20 * TIMEOUT_MS, interval: 100 })
      .toBe(true);

    const closing = Date.now();
    await store.close();
    expect(Date.now() - closing).toBeLessThan(10 * TIMEOUT_MS);

    // Exact: the stats equal the stored records (nothing of the silenced write got through).
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const raw = numbers((await client.query(countsQuery("$1"), [e])).rows[0]);
      expect(raw.scan_count).toBe(2);
      const stats = await client.query(
        "SELECT coalesce(sum(scan_count), 0)::int AS n FROM analytics_stats WHERE event_id = $1",
        [e],
      );
      expect(stats.rows[0].n).toBe(raw.scan_count);
    } finally {
      await client.end();
    }
  });

  it("gives back every connection a partition broke, in or out of a transaction, and fails a waiting group at once", async () => {
    const e = `partition-tx-${Date.now()}`;
    const s = await open();
    try {
      // Scans and invalid attempts together: one transaction, on a connection the pool
      // holds (both made before the partition): its BEGIN times out. More partitions than
      // the pool has connections.
      for (let round = 0; round < 3; round++) {
        const bothConnected = () => Promise.all([s.ping(), s.ping()]);
        await expect
          .poll(
            () =>
              bothConnected().then(
                () => true,
                () => false,
              ),
            { timeout: 6 * TIMEOUT_MS, interval: 100 },
          )
          .toBe(true);
        sw.silence();
        const mixed = batch({
          scans: [scanRow({ event_id: e, ticket_id: `lost-${round}` })],
          invalidAttempts: [attemptRow({ event_id: e })],
        });
        expect(await rejectionOf(s.insert(mixed))).toMatchObject({ failure: "unavailable" });
        // A group waiting behind it fails as one, not batch by batch, each its own timeout.
        const started = Date.now();
        const waiting = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            rejectionOf(s.insert(batch({ scans: [scanRow({ event_id: e, ticket_id: `w-${round}-${i}` })] }))),
          ),
        );
        for (const w of waiting) expect(w).toMatchObject({ failure: "unavailable" });
        expect(Date.now() - started).toBeLessThan(4 * TIMEOUT_MS);
        sw.heal();
      }
      // Every connection the partitions broke went back to the pool, destroyed: a new
      // transaction gets one (the leak held them all, and waited 10 s for none).
      const after = batch({
        scans: [scanRow({ event_id: e, ticket_id: "after" })],
        invalidAttempts: [attemptRow({ event_id: e })],
      });
      await expect
        .poll(
          () =>
            s.insert(after).then(
              () => true,
              () => false,
            ),
          { timeout: 6 * TIMEOUT_MS, interval: 100 },
        )
        .toBe(true);
    } finally {
      await s.close();
    }
  });
});
