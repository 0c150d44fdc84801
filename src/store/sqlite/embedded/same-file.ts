// Whether the database file is still the one the server opened. Deleted, or replaced (a
// backup restored over it while the server runs), the path names another file or none,
// while the server's connections keep writing to the old one, unlinked: every write
// acknowledged from then on is gone at the next start. Checked by GET /health and before
// each group of writes (one stat() a commit), which then fail as unavailable, saying why.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { StoreError } from "../../errors.js";

const identity = (path: string): string | null => {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
};

/** A check that throws once `path` no longer names the file it names now (none for ":memory:"). */
export function sameFileCheck(path: string): () => void {
  if (path === ":memory:") return () => {};
  const opened = identity(path);
  return () => {
    if (identity(path) === opened) return;
    throw new StoreError(
      "unavailable",
      `the database file ${resolve(path)} was removed or replaced after the server opened it: restart the server (writes now would be lost)`,
    );
  };
}
