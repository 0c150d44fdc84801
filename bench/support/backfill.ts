// The entry-flow aggregates of rows seeded directly in SQL, computed by the migration's own
// backfill (drizzle/<dialect>/0002_entry_flow.sql, the statements from its "-- Backfill"
// comment on), read from the file the server migrates with rather than copied here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsFolder } from "../../src/store/migrations.js";

const MIGRATION = "0002_entry_flow.sql";
const BREAKPOINT = "--> statement-breakpoint";
const MARK = "-- Backfill";

export function entryFlowBackfill(dialect: "pg" | "sqlite"): string[] {
  const path = join(migrationsFolder(dialect), MIGRATION);
  const statements = readFileSync(path, "utf8")
    .split(BREAKPOINT)
    .map((s) => s.trim());
  const from = statements.findIndex((s) => s.startsWith(MARK));
  if (from === -1) throw new Error(`${path}: no statement starts with "${MARK}"`);
  return statements.slice(from).filter((s) => s !== "");
}
