// A Node store's load on /metrics: write calls queued for group commit, groups committing,
// and the Postgres pool's connections, read at each scrape from the store itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { startServer } from "../../src/node/start.js";
import { createLogger } from "../../src/observability/logger.js";
import { createTestDatabase, type TestDatabase } from "../support/pg.js";
import { batch, scanRow } from "../support/records.js";

const dir = mkdtempSync(join(tmpdir(), "veritix-pressure-"));
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A gauge's value in Prometheus text, or undefined when it has none. */
const gauge = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe.each([
  { name: "SQLite", env: async () => ({ SQLITE_PATH: join(dir, "pressure.db") }), pool: false },
  {
    name: "Postgres",
    env: async () => {
      const db = await createTestDatabase();
      databases.push(db);
      return { DATABASE_URL: db.url };
    },
    pool: true,
  },
])("the store's load on $name", ({ env, pool }) => {
  it("counts the writes queued while a burst waits, and none once it is stored; /metrics shows it", async () => {
    const config = parseConfig({ PORT: "0", ...(await env()) });
    const server = await startServer(config, createLogger("error"));
    try {
      // Calls made in one turn wait for the next: none has been grouped yet.
      const writes = Array.from({ length: 12 }, (_, i) =>
        server.store.insert(batch({ scans: [scanRow({ event_id: "pressure", ticket_id: `t-${i}` })] })),
      );
      expect(await server.store.pressure?.()).toMatchObject({ writesQueued: 12, writeGroupsInFlight: 0 });
      await Promise.all(writes);
      const idle = await server.store.pressure?.();
      expect(idle).toMatchObject({ writesQueued: 0, writeGroupsInFlight: 0 });
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(gauge(text, "veritix_db_writes_queued")).toBe(0);
      expect(gauge(text, "veritix_db_write_groups_in_flight")).toBe(0);
      const total = gauge(text, 'veritix_db_pool_connections{state="total"}');
      const open = gauge(text, 'veritix_db_pool_connections{state="idle"}');
      if (pool) {
        expect(total).toBeGreaterThanOrEqual(1);
        expect(open).toBeLessThanOrEqual(total ?? 0);
        expect(gauge(text, 'veritix_db_pool_connections{state="waiting"}')).toBe(0);
      } else {
        expect(total).toBeUndefined(); // no pool on SQLite
      }
    } finally {
      await server.close();
    }
  });
});
