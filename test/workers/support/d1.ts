// D1 inside workerd: the DB binding of wrangler.toml, migrated by ../apply-migrations.ts
// (storage is the test file's own).
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { d1Store } from "../../../src/store/sqlite/d1.js";
import type { Store } from "../../../src/store/types.js";
import { bindNamed } from "../../support/entry-flow-recompute.js";
import { countsQuery, numbers, type TestStore } from "../../support/test-store.js";

export async function d1TestStore(): Promise<TestStore> {
  return {
    store: d1Store(env.DB),
    async rawCounts(e) {
      const row = await env.DB.prepare(countsQuery("?1")).bind(e).first<Record<string, unknown>>();
      return numbers(row ?? {});
    },
    raw: {
      dialect: "sqlite",
      async query(text, values) {
        // D1 binds by position: pg's $1... placeholders as ?1...
        const q = bindNamed("pg", text, values);
        const { results } = await env.DB.prepare(q.text.replace(/\$(\d+)/g, "?$1"))
          .bind(...(q.values as unknown[]))
          .all<Record<string, unknown>>();
        return results;
      },
    },
    exec: async (statement) => void (await env.DB.prepare(statement).run()),
    async cleanup() {},
  };
}

/**
 * Takes the schema off this file's D1 (every table, the migrations' own record included),
 * as a database nobody migrated; `restore` applies drizzle/sqlite again.
 */
export async function dropD1Schema(): Promise<{ restore(): Promise<void> }> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
  ).all<{ name: string }>();
  if (results.length) await env.DB.batch(results.map((r) => env.DB.prepare(`DROP TABLE "${r.name}"`)));
  return { restore: () => applyD1Migrations(env.DB, env.TEST_MIGRATIONS) };
}

/** A D1 store on this file's D1 without the schema, until cleanup restores it. */
export async function d1UnmigratedStore(): Promise<{ store: Store; cleanup(): Promise<void> }> {
  const dropped = await dropD1Schema();
  return { store: d1Store(env.DB), cleanup: () => dropped.restore() };
}
