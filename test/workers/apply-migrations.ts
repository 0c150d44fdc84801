// Setup file of the "workers" project: storage is isolated per test file, so each file's
// D1 gets drizzle/sqlite applied by wrangler's own migration runner.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
