// Creating a database file's directory, for the server's SQLite store and the gate
// device's buffer alike.
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Creates the missing directories one level at a time: Node's recursive mkdir spins
 * forever under some paths (e.g. below /proc) instead of failing.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
}
