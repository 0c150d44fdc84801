// The Node runtime's store: Postgres when DATABASE_URL is set, else the embedded SQLite
// file. Both group concurrent writes into shared commits themselves.
import type { Config } from "../config.js";
import type { MigrationLog } from "../store/migrations.js";
import { nodePgStore } from "../store/pg/node-pg.js";
import { betterSqliteStore } from "../store/sqlite/embedded/store.js";
import type { Store } from "../store/types.js";

/** `log`: where the migrations it applies say what they did. */
export async function openStore(
  config: Pick<Config, "DATABASE_URL" | "SQLITE_PATH">,
  log?: MigrationLog,
): Promise<Store> {
  return config.DATABASE_URL
    ? nodePgStore({ url: config.DATABASE_URL, log })
    : betterSqliteStore({ path: config.SQLITE_PATH, log });
}
