// A SQLite database file in a fresh temporary directory, removed afterwards (with its
// -wal and -shm companions).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempSqlite {
  path: string;
  remove(): void;
}

export function tempSqliteFile(label: string): TempSqlite {
  const dir = mkdtempSync(join(tmpdir(), `veritix-bench-${label}-`));
  return { path: join(dir, "bench.db"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
