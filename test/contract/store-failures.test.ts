// Failures that are the database's, not the request's, become the store's `unavailable`
// (a 503 with Retry-After and the cause in the log), never an unclassified error (a 500).
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATUS } from "../../src/errors.js";
import { asAppError } from "../../src/http/errors.js";
import { errorFields } from "../../src/observability/logger.js";
import { isNetworkFailure, StoreError } from "../../src/store/errors.js";
import { nodePgStore } from "../../src/store/pg/node-pg.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import { classifySqlite } from "../../src/store/sqlite/errors.js";
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from "../support/pg.js";
import { batch, scanRow } from "../support/records.js";
import { rejectionOf } from "../support/test-store.js";

describe("a Postgres role that lost its write grants", () => {
  let database: TestDatabase;
  const role = `veritix_ro_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  beforeAll(async () => {
    database = await createTestDatabase();
    // The schema, as the server's own role migrates it; then a role that may only read.
    await (await nodePgStore({ url: database.url })).close();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN`);
      await admin.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    } finally {
      await admin.end();
    }
  });
  afterAll(async () => {
    await database?.drop();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it("fails a write as unavailable (an operator's to fix), and still reads", async () => {
    const url = new URL(database.url);
    url.username = role;
    const store = await nodePgStore({ url: url.toString(), migrate: false });
    try {
      const failed = await rejectionOf(store.insert(batch({ scans: [scanRow({ event_id: "grants" })] })));
      expect(failed).toBeInstanceOf(StoreError);
      expect(failed).toMatchObject({ failure: "unavailable" });
      // What the log says of it: the table it may not write.
      expect(errorFields(failed).cause).toMatch(/permission denied for table/);
      expect(await store.eventStats("grants")).toMatchObject({ event_id: "grants", scan_count: 0 });
    } finally {
      await store.close();
    }
  });
});

describe("what the drivers say of a database they cannot use", () => {
  // better-sqlite3's errors carry SQLite's result code (a file made read-only under the
  // server, or damaged on disk); root, which runs these tests, is never refused a write.
  const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

  it("SQLite: a read-only or damaged file is unavailable, as a full disk is", () => {
    for (const [code, message] of [
      ["SQLITE_READONLY", "attempt to write a readonly database"],
      ["SQLITE_READONLY_DIRECTORY", "attempt to write a readonly database"],
      ["SQLITE_CORRUPT", "database disk image is malformed"],
      ["SQLITE_FULL", "database or disk is full"],
    ] as const) {
      expect(classifySqlite(sqliteError(code, message)), code).toBe("unavailable");
    }
    expect(classifySqlite(sqliteError("SQLITE_CONSTRAINT_CHECK", "CHECK constraint failed: x"))).toBeNull();
  });

  it("SQLite and D1: more than the database takes at once is too big (a 413: a scanner halves its batch)", () => {
    for (const [code, message] of [
      ["SQLITE_TOOBIG", "string or blob too big"],
      ["", "D1_ERROR: string or blob too big: SQLITE_TOOBIG"],
      ["", "D1_ERROR: statement too long: SQLITE_TOOBIG"],
      ["", "Too many API requests by single worker invocation."],
    ] as const) {
      expect(classifySqlite(sqliteError(code, message)), message).toBe("too_big");
    }
    const refused = asAppError(new StoreError("too_big", "x"));
    expect(refused?.code).toBe("payload_too_large");
    expect(STATUS[refused?.code ?? "internal"]).toBe(413);
  });

  it("node-postgres: no client free in the pool within its wait is the database not answering", () => {
    expect(isNetworkFailure(new Error("timeout exceeded when trying to connect"))).toBe(true);
  });
});

describe("the embedded SQLite file removed or replaced while the server runs", () => {
  it("fails writes and the health check as unavailable, saying why, instead of writing to a file no start will see", async () => {
    const dir = mkdtempSync(join(tmpdir(), "veritix-same-file-"));
    const path = join(dir, "veritix.db");
    const store = await betterSqliteStore({ path });
    const write = (ticket_id: string) =>
      rejectionOf(store.insert(batch({ scans: [scanRow({ event_id: "moved", ticket_id })] })));
    const refusal = { failure: "unavailable", message: expect.stringMatching(/removed or replaced/) };
    // Writes look at the file at most every 100 ms (./same-file.ts).
    const settle = () => new Promise((r) => setTimeout(r, 150));
    try {
      expect(await write("before")).toBeNull();
      await store.ping();
      renameSync(path, `${path}.moved`); // deleted, as far as the path can tell
      await settle();
      expect(await write("while-gone")).toMatchObject(refusal);
      await expect(store.ping()).rejects.toMatchObject(refusal);
      // A check that failed lets nothing through after it, however soon.
      for (const ticket of ["right-after", "and-again"]) expect(await write(ticket)).toMatchObject(refusal);
      renameSync(`${path}.moved`, path); // back: the same file, writes go on
      await settle();
      expect(await write("back")).toBeNull();
      writeFileSync(join(dir, "restored.db"), "");
      renameSync(join(dir, "restored.db"), path); // a backup restored over it
      await settle();
      expect(await write("after-restore")).toMatchObject(refusal);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
