// Opens the device's SQLite file for durability first: WAL with synchronous = FULL, so a
// scan whose record() returned survives a power cut; busy_timeout, so the CLI's `record`
// and a running `sync --watch` can share the file. Failures say which file and why.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { ensureDir } from "../../../src/node/ensure-dir.js";
import { BufferUnavailable } from "./errors.js";
import { migrateFromV1 } from "./migrate-v1.js";
import { SCHEMA, SCHEMA_VERSION } from "./schema.js";

export type SqliteDatabase = Database.Database;

const REASONS: Record<string, string> = {
  SQLITE_NOTADB: "the file is not a SQLite database",
  SQLITE_CORRUPT: "the database file is corrupt",
  SQLITE_CANTOPEN: "the file cannot be opened (missing directory or no permission?)",
  SQLITE_READONLY: "the file is read-only",
  SQLITE_PERM: "no permission to use the file",
  SQLITE_BUSY: "the database is locked by another process",
  EACCES: "no permission to create the directory or file",
  ENOTDIR: "a part of the path is not a directory",
};

function reason(err: unknown): string {
  const code = (err as { code?: string }).code ?? "";
  return REASONS[code] ?? (err as Error).message ?? String(err);
}

/** A new file gets the current schema; an older one is migrated, all at once or not at all. */
function upgrade(db: SqliteDatabase): void {
  db.transaction(() => {
    // Read inside the write lock: another process may have upgraded the file meanwhile.
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version === 1) migrateFromV1(db);
    else if (version === 0) db.exec(SCHEMA);
    else throw new Error(`no migration from schema ${version}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

export function openDatabase(path: string, opts: { create: boolean }): SqliteDatabase {
  const memory = path === ":memory:";
  if (!memory && !opts.create && !existsSync(path)) {
    throw new BufferUnavailable(
      `no scanner database at ${resolve(path)} (nothing recorded yet, or a wrong --db / SCANNER_DB?)`,
    );
  }
  let db: SqliteDatabase | undefined;
  try {
    if (!memory) ensureDir(dirname(path));
    db = new Database(path, { timeout: 5000 });
    db.pragma("busy_timeout = 5000");
    if (!memory) {
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal") throw new Error(`could not switch to WAL (journal_mode is ${String(mode)})`);
    }
    db.pragma("synchronous = FULL");
    // A dead letter's item is never deleted from under it (retention skips them; requeue
    // deletes the dead letter first).
    db.pragma("foreign_keys = ON");
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `it was written by a newer veritix-scanner (schema ${version}; this one knows ${SCHEMA_VERSION})`,
      );
    }
    if (version < SCHEMA_VERSION) upgrade(db);
    return db;
  } catch (err) {
    db?.close();
    throw new BufferUnavailable(`cannot use scanner database ${path}: ${reason(err)}`, { cause: err });
  }
}
