// The Node server (src/node/start.ts, as `npm start` runs it) in this process, on a fresh
// SQLite file or a fresh Postgres database, with the targets' tokens and signing key.
import { httpApi } from "../api.js";
import { type DbKind, startTestServer } from "../server.js";
import { API_TOKENS, CORS_ORIGIN, SIGNING_KEY } from "../tokens.js";
import type { HttpTarget } from "./target.js";

export async function nodeTarget(db: DbKind): Promise<HttpTarget> {
  const server = await startTestServer(db, {
    API_TOKENS,
    SCANNER_SIGNING_KEY: SIGNING_KEY,
    CORS_ORIGINS: CORS_ORIGIN,
  });
  return {
    name: `Node on ${db === "sqlite" ? "SQLite" : "Postgres"}`,
    runtime: "node",
    database: db,
    prometheus: true,
    url: server.url,
    ...httpApi(server.url, server.rawCounts),
    raw: server.raw,
    stop: () => server.stop(),
  };
}
