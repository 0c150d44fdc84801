// A fresh Postgres database per test file (ordering text by en-US rules), dropped
// afterwards. TEST_DATABASE_URL names the server (default: the local one); a missing server
// fails the run, it is never skipped.
import pg from "pg";

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `veritix_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Postgres is required for the tests (${PG_ADMIN_URL}): ${(err as Error).message}`);
  }
  // A collation that is not bytewise, as a Postgres installed with an en_US locale has:
  // an order that SQLite and D1 would give differently (uppercase first there) shows here.
  try {
    await admin.query(
      `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`,
    );
  } catch (err) {
    await admin.end();
    throw new Error(
      `the tests' Postgres databases use an ICU collation (Postgres 15+ built with ICU): ${(err as Error).message}`,
    );
  }
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
