// D1 inside workerd: the DB binding of wrangler.toml, migrated by ../apply-migrations.ts.
import { env } from "cloudflare:workers";
import { d1Store } from "../../../src/store/sqlite/d1.js";
import { countsQuery, numbers, type TestStore } from "../../support/test-store.js";

export async function d1TestStore(): Promise<TestStore> {
  return {
    store: d1Store(env.DB),
    async rawCounts(e) {
      const row = await env.DB.prepare(countsQuery("?1")).bind(e).first<Record<string, unknown>>();
      return numbers(row ?? {});
    },
    async cleanup() {},
  };
}
