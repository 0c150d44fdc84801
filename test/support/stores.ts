// Test stores on each Node driver, with a way to count the raw rows behind the stats
// (the stats must always equal them).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { nodePgStore } from "../../src/store/pg/node-pg.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import { createTestDatabase } from "./pg.js";
import { pgClientDatabase, sqliteFileDatabase } from "./raw-database.js";
import { countsQuery, numbers, type TestStore } from "./test-store.js";

export { countsQuery, numbers, type RawCounts, type TestStore } from "./test-store.js";

/** A fresh SQLite file; writes on the store's writer thread unless `writer` says "inline". */
export async function sqliteTestStore(writer: "thread" | "inline" = "thread"): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), "veritix-test-"));
  const path = join(dir, "test.db");
  const store = await betterSqliteStore({ path, writer });
  const reader = new Database(path, { readonly: true });
  const counts = reader.prepare(countsQuery("@e"));
  const own = new Database(path);
  return {
    store,
    rawCounts: async (e) => numbers(counts.get({ e }) as Record<string, unknown>),
    raw: sqliteFileDatabase(path),
    exec: async (statement) => void own.exec(statement),
    async cleanup() {
      own.close();
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
    raw: pgClientDatabase(client),
    exec: async (statement) => void (await client.query(statement)),
    async cleanup() {
      await client.end();
      await store.close();
      await db.drop();
    },
  };
}

/** A store on a fresh SQLite file that never got the schema. */
export async function sqliteUnmigratedStore(writer: "thread" | "inline" = "thread") {
  const dir = mkdtempSync(join(tmpdir(), "veritix-test-"));
  const store = await betterSqliteStore({ path: join(dir, "empty.db"), writer, migrate: false });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A store on a fresh Postgres database that never got the schema. */
export async function pgUnmigratedStore() {
  const db = await createTestDatabase();
  const store = await nodePgStore({ url: db.url, migrate: false });
  return {
    store,
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
}
