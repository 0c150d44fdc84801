// Several targets of one test file, all started at once in beforeAll (so the Workers come up
// while the Node targets are tested) and stopped in afterAll; each describe block waits for
// its own. A target that fails to start fails its block alone.
import { afterAll, beforeAll } from "vitest";
import type { HttpTarget } from "./target.js";

export function startAll(targets: readonly { name: string; start: () => Promise<HttpTarget> }[]) {
  const started = new Map<string, Promise<HttpTarget>>();
  beforeAll(() => {
    for (const { name, start } of targets) {
      const running = start();
      running.catch(() => {});
      started.set(name, running);
    }
  });
  afterAll(async () => {
    await Promise.all(
      [...started.values()].map((running) =>
        running.then(
          (t) => t.stop(),
          () => {},
        ),
      ),
    );
  });
  /** The target of that name, once it has started. */
  return (name: string) => started.get(name) as Promise<HttpTarget>;
}
