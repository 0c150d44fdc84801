// Progress lines on stderr, so stdout carries only the results table.
import { performance } from "node:perf_hooks";

export function note(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** Runs `fn`, noting how long it took. */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  note(`${label} ...`);
  const out = await fn();
  note(`${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return out;
}
