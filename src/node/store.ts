// The Node runtime's store: Postgres when DATABASE_URL is set, else the embedded SQLite
// file; measured, and with concurrent single-record writes committed together.
import type { Config } from "../config.js";
import { instrumentStore, type Metrics } from "../observability/metrics.js";
import { withGroupCommit } from "../store/group-commit.js";
import { nodePgStore } from "../store/pg/node-pg.js";
import { betterSqliteStore } from "../store/sqlite/embedded/store.js";
import type { Store } from "../store/types.js";

export async function openStore(config: Pick<Config, "DATABASE_URL" | "SQLITE_PATH">): Promise<Store> {
  return config.DATABASE_URL
    ? nodePgStore({ url: config.DATABASE_URL })
    : betterSqliteStore({ path: config.SQLITE_PATH });
}

export function serviceStore(store: Store, metrics: Metrics): Store {
  // SQLite has one writer. On Postgres every group of one event updates the same stats
  // row, so groups queue on its lock anyway: two in flight (one committing, one filling)
  // measured better than four.
  const maxInFlight = store.dialect === "postgres" ? 2 : 1;
  return withGroupCommit(instrumentStore(store, metrics), { maxInFlight });
}
