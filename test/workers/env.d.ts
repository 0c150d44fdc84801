// The bindings the "workers" project gives the tests (wrangler.toml plus vitest.config.ts),
// and the Worker under test as the main module (typing `exports` of cloudflare:workers).
type VeritixWorkerEnv = import("../../src/worker/env.js").WorkerEnv;

declare namespace Cloudflare {
  interface Env extends VeritixWorkerEnv {
    DB: D1Database;
    /** drizzle/sqlite, read by readD1Migrations in vitest.config.ts. */
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
  interface GlobalProps {
    mainModule: typeof import("../../src/worker.js");
  }
}
