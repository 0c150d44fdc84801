// The Worker (src/worker.ts) in workerd over real HTTP: `wrangler dev --local` of the
// production config with the targets' tokens and signing key as vars, and the edge cache
// off (STATS_CACHE_SECONDS=0: every read current; the cache has its own tests inside
// workerd). On D1: a local D1 under a fresh --persist-to directory, migrated by wrangler;
// its raw records read from that SQLite file. On Neon: DATABASE_URL of a fresh migrated
// Postgres database, reached through the WebSocket-to-TCP proxy of ../ws-proxy.ts
// (NEON_WS_PROXY) as the Neon driver reaches Neon's endpoint. Either database is also read
// directly, apart from the Worker (raw counts, the entry flow's recomputation).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { nodePgStore } from "../../../src/store/pg/node-pg.js";
import { httpApi } from "../api.js";
import { createTestDatabase } from "../pg.js";
import { pgClientDatabase, sqliteFileDatabase } from "../raw-database.js";
import { countsQuery, numbers, type RawCounts } from "../test-store.js";
import { API_TOKENS, CORS_ORIGIN, SIGNING_KEY } from "../tokens.js";
import { startWsProxy } from "../ws-proxy.js";
import type { HttpTarget } from "./target.js";
import { retryingDevProxyLosses, startWranglerDev, wrangler } from "./wrangler.js";

const VARS = {
  API_TOKENS,
  SCANNER_SIGNING_KEY: SIGNING_KEY,
  CORS_ORIGINS: CORS_ORIGIN,
  STATS_CACHE_SECONDS: "0",
  LOG_LEVEL: "error",
};

/** The SQLite file of the local D1 database under `persistTo` (miniflare names it by a hash). */
function d1File(persistTo: string): string {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.join(", ")}`);
  return join(dir, files[0] as string);
}

export async function workerOnD1(): Promise<HttpTarget> {
  const persistTo = mkdtempSync(join(tmpdir(), "veritix-worker-d1-"));
  try {
    await wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);
    const file = d1File(persistTo);
    const rawCounts = async (e: string): Promise<RawCounts> => {
      const reader = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return numbers(reader.prepare(countsQuery("@e")).get({ e }) as Record<string, unknown>);
      } finally {
        reader.close();
      }
    };
    const dev = await startWranglerDev({ persistTo, vars: VARS });
    return {
      name: "Worker on D1",
      runtime: "workers",
      database: "d1",
      prometheus: false,
      url: dev.url,
      ...retryingDevProxyLosses(httpApi(dev.url, rawCounts), dev),
      raw: sqliteFileDatabase(file),
      async stop() {
        await dev.stop();
        rmSync(persistTo, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(persistTo, { recursive: true, force: true });
    throw err;
  }
}

export async function workerOnNeon(): Promise<HttpTarget> {
  const database = await createTestDatabase();
  const proxy = await startWsProxy();
  const reader = new pg.Client({ connectionString: database.url });
  const cleanup = async () => {
    await reader.end().catch(() => {});
    await proxy.close();
    await database.drop();
  };
  try {
    // Opening a node-postgres store once applies drizzle/pg.
    await (await nodePgStore({ url: database.url, max: 1 })).close();
    await reader.connect();
    const persistTo = mkdtempSync(join(tmpdir(), "veritix-worker-neon-"));
    const dev = await startWranglerDev({
      persistTo,
      vars: { ...VARS, DATABASE_URL: database.url, NEON_WS_PROXY: proxy.hostPort },
    }).catch((err) => {
      rmSync(persistTo, { recursive: true, force: true });
      throw err;
    });
    return {
      name: "Worker on Neon",
      runtime: "workers",
      database: "postgres",
      prometheus: false,
      url: dev.url,
      ...retryingDevProxyLosses(
        httpApi(dev.url, async (e) => numbers((await reader.query(countsQuery("$1"), [e])).rows[0])),
        dev,
      ),
      raw: pgClientDatabase(reader),
      async stop() {
        await dev.stop();
        rmSync(persistTo, { recursive: true, force: true });
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
