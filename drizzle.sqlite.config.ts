import { defineConfig } from "drizzle-kit";

// D1 applies these same files (wrangler.toml `migrations_dir`).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/store/sqlite/schema.ts",
  out: "./drizzle/sqlite",
});
