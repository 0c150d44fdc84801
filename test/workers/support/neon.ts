// Postgres inside workerd, reached as production reaches it: the Neon serverless driver,
// here through the local WebSocket proxy of test/support/workers-global-setup.ts.
import { Pool } from "@neondatabase/serverless";
import { afterAll, beforeAll, inject } from "vitest";
import { neonStore, proxiedClient } from "../../../src/store/pg/neon.js";
import type { Store } from "../../../src/store/types.js";
import { bindNamed } from "../../support/entry-flow-recompute.js";
import { countsQuery, numbers, type TestStore } from "../../support/test-store.js";

export interface NeonDatabase {
  /** postgresql:// URL (the Worker's DATABASE_URL); set once beforeAll ran. */
  readonly url: string;
  /** host:port of the proxy (the Worker's NEON_WS_PROXY). */
  readonly proxy: string;
}

/** A bare Neon pool on `url` through the proxy, for what the store does not do. */
function pool(url: string, proxy: string): Pool {
  const p = new Pool({ connectionString: url, max: 1 });
  p.Client = proxiedClient(proxy);
  return p;
}

const adminPool = () => pool(inject("neonAdminUrl"), inject("neonWsProxy"));

/**
 * A database of the calling describe block's own (or the file's), cloned from the
 * migrated template before its tests and dropped after them; `schema: false`: empty.
 */
export function neonTestDatabase(opts: { schema?: boolean } = {}): NeonDatabase {
  const template = inject("neonTemplateDatabase");
  // Named after the template either way: the global teardown drops what this run left.
  const name = `${template}_${crypto.randomUUID().slice(0, 8)}`;
  let url: string | undefined;
  beforeAll(async () => {
    const admin = adminPool();
    try {
      // Without the schema: an empty database, as one nobody migrated.
      await admin.query(
        opts.schema === false
          ? `CREATE DATABASE "${name}"`
          : `CREATE DATABASE "${name}" TEMPLATE "${template}"`,
      );
    } finally {
      await admin.end();
    }
    const u = new URL(inject("neonAdminUrl"));
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(async () => {
    const admin = adminPool();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });
  return {
    get url() {
      if (!url) throw new Error("the test database exists only from beforeAll on");
      return url;
    },
    proxy: inject("neonWsProxy"),
  };
}

export function neonTestStore(db: NeonDatabase): () => Promise<TestStore> {
  return async () => {
    const store = neonStore({ url: db.url, wsProxy: db.proxy });
    const reader = pool(db.url, db.proxy);
    return {
      store,
      rawCounts: async (e) => numbers((await reader.query(countsQuery("$1"), [e])).rows[0]),
      raw: {
        dialect: "pg",
        async query(text, values) {
          const q = bindNamed("pg", text, values);
          return (await reader.query(q.text, q.values as unknown[])).rows as Record<string, unknown>[];
        },
      },
      exec: async (statement) => void (await reader.query(statement)),
      async cleanup() {
        await reader.end();
        await store.close();
      },
    };
  };
}

/** A Neon store on `db` (one made with `schema: false`: without the schema). */
export function neonBareStore(db: NeonDatabase): () => Promise<{ store: Store; cleanup(): Promise<void> }> {
  return async () => {
    const store = neonStore({ url: db.url, wsProxy: db.proxy });
    return { store, cleanup: () => store.close() };
  };
}
