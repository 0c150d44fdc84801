// Where drizzle-kit wrote the migrations (drizzle/pg, drizzle/sqlite), from this file.
import { fileURLToPath } from "node:url";

export function migrationsFolder(dialect: "pg" | "sqlite"): string {
  return fileURLToPath(new URL(`../../drizzle/${dialect}`, import.meta.url));
}

/** What to run when a Node store's database lacks the schema. */
export const MIGRATE_HINT = "run `npm run db:migrate` (the server applies them when it starts)";
