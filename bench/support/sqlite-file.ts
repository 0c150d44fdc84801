// Temporary places of the bench: a fresh directory, or a SQLite database file in one
// (removed with its -wal and -shm companions), each removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempPath {
  path: string;
  remove(): void;
}
export type TempSqlite = TempPath;

/** A fresh directory under the system's temporary one. */
export function tempDir(label: string): TempPath {
  const path = mkdtempSync(join(tmpdir(), `veritix-bench-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function tempSqliteFile(label: string): TempSqlite {
  const dir = tempDir(label);
  return { path: join(dir.path, "bench.db"), remove: dir.remove };
}
