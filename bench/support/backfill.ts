// The aggregates of rows seeded directly in SQL (the entry flow, transfers, signals),
// computed by the migrations' own backfills (each drizzle/<dialect>/*.sql that has one,
// the statements from its "-- Backfill" comment on, in migration order), read from the
// files the server migrates with rather than copied here.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsFolder } from "../../src/store/migrations.js";

const BREAKPOINT = "--> statement-breakpoint";
const MARK = "-- Backfill";

export function aggregateBackfills(dialect: "pg" | "sqlite"): string[] {
  const folder = migrationsFolder(dialect);
  return readdirSync(folder)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .flatMap((file) => {
      const statements = readFileSync(join(folder, file), "utf8")
        .split(BREAKPOINT)
        .map((s) => s.trim());
      const from = statements.findIndex((s) => s.startsWith(MARK));
      return from === -1 ? [] : statements.slice(from).filter((s) => s !== "");
    });
}
