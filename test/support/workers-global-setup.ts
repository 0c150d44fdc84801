// globalSetup of the "workers" project (runs in Node, before workerd starts): a fresh
// Postgres database with drizzle/pg applied, which each workerd test file clones into a
// database of its own (so no file sees another's rows, as in the Node tests), and the
// WebSocket proxy the Neon driver inside workerd reaches Postgres through. Both are
// handed over with provide/inject; teardown drops every database of the run and stops
// the proxy.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { nodePgStore } from "../../src/store/pg/node-pg.js";
import { createTestDatabase, PG_ADMIN_URL } from "./pg.js";
import { startWsProxy } from "./ws-proxy.js";

async function dropClones(template: string) {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [`${template}_`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export default async function setup(project: TestProject) {
  const template = await createTestDatabase();
  // Opening a node-postgres store once applies the migrations; it must leave no
  // connection behind, or the template cannot be cloned.
  await (await nodePgStore({ url: template.url, max: 1 })).close();
  const proxy = await startWsProxy();
  project.provide("neonAdminUrl", PG_ADMIN_URL);
  project.provide("neonTemplateDatabase", new URL(template.url).pathname.slice(1));
  project.provide("neonWsProxy", proxy.hostPort);
  return async () => {
    await proxy.close();
    await dropClones(new URL(template.url).pathname.slice(1));
    await template.drop();
  };
}
