// A real server over real HTTP, on either database, for the HTTP and end-to-end tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { parseConfig } from "../../src/config.js";
import { type RunningServer, startServer } from "../../src/node/start.js";
import { silentLogger } from "../../src/observability/logger.js";
import type { RawDatabase } from "./entry-flow-recompute.js";
import { createTestDatabase } from "./pg.js";
import { pgClientDatabase, sqliteFileDatabase } from "./raw-database.js";
import type { RawCounts } from "./stores.js";
import { countsQuery, numbers } from "./stores.js";

export type DbKind = "sqlite" | "postgres";

export interface TestServer extends RunningServer {
  /** The Postgres database's URL (postgres only). */
  databaseUrl?: string;
  /** The SQLite file (sqlite only). */
  sqlitePath?: string;
  rawCounts(eventId: string): Promise<RawCounts>;
  /** The database itself, read apart from the server. */
  raw: RawDatabase;
  /** fetch relative to the server, JSON in and out. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export async function startTestServer(db: DbKind, env: Record<string, string> = {}): Promise<TestServer> {
  let cleanup: () => Promise<void>;
  let rawCounts: (e: string) => Promise<RawCounts>;
  let raw: RawDatabase;
  const dbEnv: Record<string, string> = {};
  if (db === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "veritix-http-"));
    dbEnv.SQLITE_PATH = join(dir, "test.db");
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
    rawCounts = async (e) => {
      const reader = new Database(dbEnv.SQLITE_PATH as string, { readonly: true });
      try {
        return numbers(reader.prepare(countsQuery("@e")).get({ e }) as Record<string, unknown>);
      } finally {
        reader.close();
      }
    };
    raw = sqliteFileDatabase(dbEnv.SQLITE_PATH as string);
  } else {
    const database = await createTestDatabase();
    dbEnv.DATABASE_URL = database.url;
    const client = new pg.Client({ connectionString: database.url });
    client.on("error", () => {}); // the outage test drops the database under it
    cleanup = async () => {
      await client.end().catch(() => {});
      await database.drop();
    };
    rawCounts = async (e) => numbers((await client.query(countsQuery("$1"), [e])).rows[0]);
    raw = pgClientDatabase(client);
    await client.connect();
  }
  const config = parseConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "error", ...dbEnv, ...env });
  const server = await startServer(config, silentLogger);
  return {
    ...server,
    databaseUrl: dbEnv.DATABASE_URL,
    sqlitePath: dbEnv.SQLITE_PATH,
    rawCounts,
    raw,
    call(method, path, body, headers = {}) {
      return fetch(`${server.url}${path}`, {
        method,
        headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    async stop() {
      await server.close();
      await cleanup();
    },
  };
}
