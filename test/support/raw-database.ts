// A target's database read apart from its server: the raw rows the entry-flow
// recomputation (./entry-flow-recompute.ts) reads, on a SQLite file another process
// writes (the Node server's writer, workerd's local D1) or through a Postgres client.
import Database from "better-sqlite3";
import type pg from "pg";
import { bindNamed, type RawDatabase } from "./entry-flow-recompute.js";

/** The SQLite file at `path`, opened read-only for each query (so no reader outlives the writer). */
export function sqliteFileDatabase(path: string): RawDatabase {
  return {
    dialect: "sqlite",
    async query(text, values) {
      const q = bindNamed("sqlite", text, values);
      const reader = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return reader.prepare(q.text).all(q.values) as Record<string, unknown>[];
      } finally {
        reader.close();
      }
    },
  };
}

/** A Postgres database through a connected client. */
export function pgClientDatabase(client: pg.Client): RawDatabase {
  return {
    dialect: "pg",
    async query(text, values) {
      const q = bindNamed("pg", text, values);
      return (await client.query(q.text, q.values as unknown[])).rows;
    },
  };
}
