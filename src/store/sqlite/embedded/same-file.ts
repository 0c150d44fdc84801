// Whether the database file is still the one the server opened. Deleted, or replaced (a
// backup restored over it while the server runs), the path names another file or none,
// while the server's connections keep writing to the old one, unlinked: every write
// acknowledged from then on is gone at the next start. Checked by GET /health and before
// each group of writes, which then fail as unavailable, saying why. A group checks at most
// every CHECK_EVERY_MS: a stat() per group cost 6-13 µs of CPU per POST /scans in same-day
// A/B runs (the writer thread takes small groups; bench/RESULTS.md), and a write within that long of the file's removal is lost
// as every one was before.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { StoreError } from "../../errors.js";

const CHECK_EVERY_MS = 100;

const identity = (path: string): string | null => {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${s.dev}:${s.ino}` : null;
};

export interface SameFile {
  /** Throws once `path` no longer names the file it named when opened. */
  now(): void;
  /** The same, at most every CHECK_EVERY_MS (the writes' check). */
  often(): void;
}

export function sameFileCheck(path: string): SameFile {
  if (path === ":memory:") return { now() {}, often() {} };
  const opened = identity(path);
  // When the file was last seen to be the one opened: only a check that found it so lets
  // the next writes through unchecked (a write let through after a failed check would be
  // acknowledged into the unlinked file).
  let checkedAt = 0;
  const now = () => {
    if (identity(path) === opened) {
      checkedAt = Date.now();
      return;
    }
    checkedAt = 0;
    throw new StoreError(
      "unavailable",
      `the database file ${resolve(path)} was removed or replaced after the server opened it: restart the server (writes now would be lost)`,
    );
  };
  return {
    now,
    often() {
      if (Date.now() - checkedAt >= CHECK_EVERY_MS) now();
    },
  };
}
