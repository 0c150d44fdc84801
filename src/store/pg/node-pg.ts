// node-postgres (Node): `npm start` with DATABASE_URL, and the tests.
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { migrationsFolder } from "../migrations.js";
import type { Store } from "../types.js";
import * as schema from "./schema.js";
import { type PgDb, pgStore } from "./store.js";

export interface NodePgOptions {
  url: string;
  /** Connections in the pool. */
  max?: number;
  migrate?: boolean;
}

export async function nodePgStore(opts: NodePgOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 10 });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema });
  if (opts.migrate !== false) {
    await migrate(db, { migrationsFolder: migrationsFolder("pg") }).catch(async (err) => {
      await pool.end(); // an open pool would keep the process alive after the failure
      throw err;
    });
  }
  return pgStore(db as unknown as PgDb, () => pool.end());
}
