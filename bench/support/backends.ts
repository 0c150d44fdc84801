// The two databases the Node server runs on, each provisioned fresh for one benchmark:
// a temporary SQLite file, or a new Postgres database dropped afterwards.
import type { ChildServer } from "./child-server.js";
import { startAppServer } from "./child-server.js";
import type { EntryFlowPlan, RawCounts } from "./entry-flow-plan.js";
import { createBenchDatabase } from "./postgres.js";
import type { SeedPlan } from "./seed-plan.js";
import { seedEntryFlowPostgres, seedPostgres } from "./seed-postgres.js";
import { seedEntryFlowSqlite, seedSqlite } from "./seed-sqlite.js";
import { tempSqliteFile } from "./sqlite-file.js";

export type Backend = "sqlite" | "postgres";

export interface BackendDb {
  backend: Backend;
  /** Where it is, for a bench's own reader of it (the export's bare-driver reference). */
  location: { sqlitePath: string } | { databaseUrl: string };
  seed(plan: SeedPlan): Promise<void>;
  /** The entry-flow plan's rows and aggregates; what the raw rows say per event. */
  seedEntryFlow(plan: EntryFlowPlan): Promise<Map<string, RawCounts>>;
  /** Starts the real server on this database (in a child process). */
  startServer(): Promise<ChildServer>;
  dispose(): Promise<void>;
}

export async function createBackendDb(backend: Backend, label: string): Promise<BackendDb> {
  if (backend === "sqlite") {
    const file = tempSqliteFile(label);
    return {
      backend,
      location: { sqlitePath: file.path },
      seed: (plan) => seedSqlite(file.path, plan),
      seedEntryFlow: (plan) => seedEntryFlowSqlite(file.path, plan),
      startServer: () => startAppServer({ sqlitePath: file.path }),
      dispose: async () => file.remove(),
    };
  }
  const db = await createBenchDatabase(label);
  return {
    backend,
    location: { databaseUrl: db.url },
    seed: (plan) => seedPostgres(db.url, plan),
    seedEntryFlow: (plan) => seedEntryFlowPostgres(db.url, plan),
    startServer: () => startAppServer({ databaseUrl: db.url }),
    dispose: () => db.drop(),
  };
}

/** Runs `fn` with a fresh database and a server on it; stops and removes both after. */
export async function withServer<T>(
  backend: Backend,
  label: string,
  fn: (server: ChildServer, db: BackendDb) => Promise<T>,
  before?: (db: BackendDb) => Promise<void>,
): Promise<T> {
  const db = await createBackendDb(backend, label);
  try {
    if (before) await before(db);
    const server = await db.startServer();
    try {
      return await fn(server, db);
    } finally {
      await server.stop();
    }
  } finally {
    await db.dispose();
  }
}
