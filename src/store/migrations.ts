// Where drizzle-kit wrote the migrations (drizzle/pg, drizzle/sqlite), from this file.
import { fileURLToPath } from "node:url";

export function migrationsFolder(dialect: "pg" | "sqlite"): string {
  return fileURLToPath(new URL(`../../drizzle/${dialect}`, import.meta.url));
}
