import { defineConfig } from "drizzle-kit";

// `DATABASE_URL=… drizzle-kit migrate --config drizzle.pg.config.ts` applies drizzle/pg
// (how Neon is migrated for the Worker); generating needs no database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/store/pg/schema.ts",
  out: "./drizzle/pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "" },
});
