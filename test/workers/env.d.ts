// What the "workers" project gives the tests beyond the Worker's own bindings
// (src/worker/worker-configuration.d.ts): the migrations read in vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    /** drizzle/sqlite, read by readD1Migrations in vitest.config.ts. */
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
