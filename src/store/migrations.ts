// The Node stores' migrations: where drizzle-kit wrote them (drizzle/pg, drizzle/sqlite),
// and what opening a store checks before it applies them.
import { fileURLToPath } from "node:url";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Logger } from "../observability/logger.js";

export function migrationsFolder(dialect: "pg" | "sqlite"): string {
  return fileURLToPath(new URL(`../../drizzle/${dialect}`, import.meta.url));
}

/** What to run when a Node store's database lacks the schema. */
export const MIGRATE_HINT = "run `npm run db:migrate` (the server applies them when it starts)";

/** Where a Node store says what its migrations did: a big database takes a while. */
export type MigrationLog = Pick<Logger, "info">;

/**
 * How many of this build's migrations the database lacks, given the newest one it has
 * applied (drizzle records each by its journal time, `created_at`; null: none). A database
 * migrated by a newer build is refused: this older code would write records without the
 * figures the newer schema keeps beside them (they would be wrong from then on), and would
 * ignore what it does not know (a revoked scanner's tokens would work again).
 */
export function migrationsToApply(dialect: "pg" | "sqlite", newestApplied: number | null): number {
  const known = readMigrationFiles({ migrationsFolder: migrationsFolder(dialect) }).map(
    (m) => m.folderMillis,
  );
  const newestKnown = Math.max(...known);
  if (newestApplied !== null && newestApplied > newestKnown) {
    throw new Error(
      `the database was migrated by a newer version of this service (its newest migration is of ${new Date(newestApplied).toISOString()}, this version's of ${new Date(newestKnown).toISOString()}): run that version or a later one; this one would count its writes wrong`,
    );
  }
  return known.filter((at) => newestApplied === null || at > newestApplied).length;
}

/** Runs `apply` when migrations are pending, saying so before and after. */
export async function applyMigrations(
  dialect: "pg" | "sqlite",
  newestApplied: number | null,
  apply: () => unknown,
  log?: MigrationLog,
): Promise<void> {
  const pending = migrationsToApply(dialect, newestApplied);
  if (pending === 0) return;
  log?.info("applying migrations (a big database takes a while)", { pending });
  const started = performance.now();
  await apply();
  log?.info("migrations applied", { applied: pending, duration_ms: Math.round(performance.now() - started) });
}
