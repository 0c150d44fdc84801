// Opening a Node store applies the migrations its database lacks, and says so; it refuses a
// database that a newer version of the service migrated (its writes would leave that
// version's figures wrong); on Postgres, servers started together on a fresh database all
// open, one migrating while the others wait.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { migrationsFolder } from "../../src/store/migrations.js";
import { MIGRATION_LOCK, nodePgStore } from "../../src/store/pg/node-pg.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import type { Store } from "../../src/store/types.js";
import { createTestDatabase, type TestDatabase } from "../support/pg.js";
import { batch, scanRow } from "../support/records.js";

/** A year after this build's newest migration: what a newer version would have recorded. */
const FUTURE = (dialect: "pg" | "sqlite") =>
  Math.max(
    ...readMigrationFiles({ migrationsFolder: migrationsFolder(dialect) }).map((m) => m.folderMillis),
  ) +
  365 * 86_400_000;
const KNOWN = (dialect: "pg" | "sqlite") =>
  readMigrationFiles({ migrationsFolder: migrationsFolder(dialect) }).length;

interface Target {
  dialect: "pg" | "sqlite";
  open(log?: { info(msg: string, fields?: Record<string, unknown>): void }): Promise<Store>;
  /** Runs one statement on the database from outside, and answers its first row. */
  sql(text: string): Promise<Record<string, unknown> | undefined>;
  cleanup(): Promise<void>;
  /** Postgres: the database's URL. */
  url?: string;
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "veritix-migrations-"));
  const path = join(dir, "db.sqlite");
  return {
    dialect: "sqlite",
    open: (log) => betterSqliteStore({ path, writer: "inline", ...(log ? { log } : {}) }),
    async sql(text) {
      const db = new Database(path);
      try {
        const statement = db.prepare(text);
        return statement.reader ? (statement.get() as Record<string, unknown>) : (statement.run(), undefined);
      } finally {
        db.close();
      }
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pgTarget(): Promise<Target & { url: string }> {
  const db: TestDatabase = await createTestDatabase();
  return {
    dialect: "pg",
    url: db.url,
    open: (log) => nodePgStore({ url: db.url, max: 2, ...(log ? { log } : {}) }),
    async sql(text) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(text)).rows[0];
      } finally {
        await client.end();
      }
    },
    cleanup: () => db.drop(),
  };
}

const migrationsTable = (dialect: "pg" | "sqlite") =>
  dialect === "pg" ? "drizzle.__drizzle_migrations" : "__drizzle_migrations";

describe.each([
  { name: "SQLite (better-sqlite3)", target: sqliteTarget },
  { name: "Postgres (node-postgres)", target: pgTarget },
])("a Node store's migrations on $name", ({ target }) => {
  const targets: Target[] = [];
  afterAll(async () => {
    for (const t of targets) await t.cleanup();
  });

  it("applies what the database lacks and says so, then nothing on the next start", async () => {
    const t = await target();
    targets.push(t);
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const log = { info: (msg: string, fields?: Record<string, unknown>) => lines.push([msg, fields]) };
    await (await t.open(log)).close();
    expect(lines).toEqual([
      ["applying migrations (a big database takes a while)", { pending: KNOWN(t.dialect) }],
      ["migrations applied", { applied: KNOWN(t.dialect), duration_ms: expect.any(Number) }],
    ]);
    lines.length = 0;
    await (await t.open(log)).close();
    expect(lines).toEqual([]);
  });

  it("refuses a database a newer version migrated, and writes nothing to it", async () => {
    const t = await target();
    targets.push(t);
    const store = await t.open();
    await store.insert(batch({ scans: [scanRow({ event_id: "ahead" })] }));
    await store.close();
    const table = migrationsTable(t.dialect);
    await t.sql(`INSERT INTO ${table} (hash, created_at) VALUES ('a newer version', ${FUTURE(t.dialect)})`);
    const before = await t.sql(`SELECT count(*) AS n FROM ${table}`);
    await expect(t.open()).rejects.toThrow(
      /^the database was migrated by a newer version of this service \(its newest migration is of \d{4}-.+\): run that version or a later one/,
    );
    expect(await t.sql(`SELECT count(*) AS n FROM ${table}`)).toEqual(before);
    expect(Number((await t.sql("SELECT count(*) AS n FROM ticket_scans"))?.n)).toBe(1);
  });
});

describe("a Postgres server waiting for another's migrations", () => {
  it("says so, and fails cleanly (no crash) if its connection is cut while it waits", async () => {
    const t = await pgTarget();
    const holder = new pg.Client({ connectionString: t.url });
    try {
      await holder.connect();
      // Another server's migrations, as far as the lock goes.
      await holder.query("SELECT pg_advisory_lock($1, $2)", [...MIGRATION_LOCK]);
      const lines: string[] = [];
      // Its outcome taken at once: it may fail before the terminating query has answered.
      const opening = t.open({ info: (msg) => lines.push(msg) }).then(
        (store) => store.close().then(() => new Error("it opened")),
        (err: unknown) => err,
      );
      await vi.waitFor(() =>
        expect(lines).toContain("waiting for another server's migrations of this database"),
      );
      const { rows } = await holder.query<{ n: number }>(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity " +
          "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_advisory_lock%'",
      );
      expect(rows[0]?.n).toBe(1);
      expect(String(await opening)).toMatch(/terminat/i);
    } finally {
      await holder.end();
      await t.cleanup();
    }
  });
});

describe("Postgres servers started together on a fresh database", () => {
  it("all open: one migrates, the others wait for it, and each migration is applied once", async () => {
    const t = await pgTarget();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => t.open()));
      await Promise.all(stores.map((s) => s.close()));
      expect(Number((await t.sql("SELECT count(*) AS n FROM drizzle.__drizzle_migrations"))?.n)).toBe(
        KNOWN("pg"),
      );
    } finally {
      await t.cleanup();
    }
  });
});
