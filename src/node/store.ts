// The Node runtime's store: Postgres when DATABASE_URL is set, else the embedded SQLite
// file. Both group concurrent writes into shared commits themselves.
import type { Config } from "../config.js";
import { nodePgStore } from "../store/pg/node-pg.js";
import { betterSqliteStore } from "../store/sqlite/embedded/store.js";
import type { Store } from "../store/types.js";

export async function openStore(config: Pick<Config, "DATABASE_URL" | "SQLITE_PATH">): Promise<Store> {
  return config.DATABASE_URL
    ? nodePgStore({ url: config.DATABASE_URL })
    : betterSqliteStore({ path: config.SQLITE_PATH });
}
