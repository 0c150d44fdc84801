// Writers of one event on separate Postgres connections, as the Worker's requests are
// (each its own Neon connection) and as several Node servers on one database would be: 24
// stores, each syncing 25 scans of distinct tickets and an invalid attempt together (two
// statements in one transaction), spread over ten minutes of one event. Each transaction
// takes its events' locks first (src/store/pg/batch-sql.ts), so none deadlock. Postgres
// would break each deadlock only after deadlock_timeout (a second), the store sending the
// work again, and giving up after five: the code before the locks deadlocked 14 to 25
// times in three of four runs of this test, and in another run of 16 writers gave up with
// "the database is busy" (a 503), as the Worker on Neon once did in the HTTP contract.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodePgStore } from "../../src/store/pg/node-pg.js";
import { toRow } from "../../src/store/rows.js";
import type { RecordBatch, Store } from "../../src/store/types.js";
import { createTestDatabase, type TestDatabase } from "../support/pg.js";
import { countsQuery, numbers } from "../support/test-store.js";

const WRITERS = 24;
const BATCHES = 4;

describe("writers of one event on separate Postgres connections", () => {
  let database: TestDatabase;
  let reader: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    await (await nodePgStore({ url: database.url, max: 1 })).close(); // migrates
    reader = new pg.Client({ connectionString: database.url });
    await reader.connect();
  });
  afterAll(async () => {
    await reader?.end();
    await database?.drop();
  });

  /** Deadlocks Postgres has broken in this database, once every backend that saw one has exited. */
  const deadlocks = async () =>
    Number(
      (await reader.query("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"))
        .rows[0].deadlocks,
    );

  it("never deadlock, and every counter equals the stored records", async () => {
    const stores: Store[] = await Promise.all(
      Array.from({ length: WRITERS }, () => nodePgStore({ url: database.url, max: 1, migrate: false })),
    );
    const before = await deadlocks();
    const events = ["locks-a", "locks-b", "locks-c", "locks-d"];
    try {
      for (const e of events) {
        await Promise.all(
          stores.map(async (store, d) => {
            for (let b = 0; b < BATCHES; b++) {
              const batch: RecordBatch = {
                scans: Array.from({ length: 25 }, (_, i) =>
                  toRow("scans", {
                    ticket_id: `t-${d}-${b}-${i}`,
                    event_id: e,
                    scanner_id: `gate-${d}`,
                    is_valid: (d + i) % 7 !== 0,
                    location: `L${d % 3}`,
                    // Spread over ten minutes, in no order: each batch touches many minute rows.
                    scan_timestamp: new Date(Date.now() - ((i * 7919 + d * 104729) % 600) * 1000),
                  }),
                ),
                transfers: [],
                invalidAttempts: [
                  toRow("invalidAttempts", {
                    attempt_type: "scan",
                    event_id: e,
                    reason: "expired_ticket",
                    ticket_id: `x-${d}`,
                    ip_address: "10.0.0.1",
                  }),
                ],
              };
              const now = new Date();
              await store.sync(batch, {
                scanner_id: `gate-${d}`,
                received_at: now,
                sent_at: now,
                items: 26,
                rejected: 0,
                pending: 0,
                oldest_pending_at: null,
                app_version: null,
              });
            }
          }),
        );
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    // A backend reports its deadlocks as it exits (the stores just closed theirs).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await deadlocks()).toBe(before);

    const check = await nodePgStore({ url: database.url, migrate: false });
    try {
      for (const e of events) {
        const raw = numbers((await reader.query(countsQuery("$1"), [e])).rows[0]);
        expect(raw).toMatchObject({
          scan_count: WRITERS * BATCHES * 25,
          invalid_attempt_count: WRITERS * BATCHES,
        });
        const { event_id: _, last_updated: __, ...counters } = await check.eventStats(e);
        expect(counters).toEqual(raw);
        const admitted = await reader.query(
          "SELECT count(DISTINCT ticket_id)::int AS n FROM ticket_scans WHERE event_id = $1 AND is_valid",
          [e],
        );
        expect((await check.attendance(e)).admitted_count).toBe(admitted.rows[0].n);
      }
    } finally {
      await check.close();
    }
  });
});
