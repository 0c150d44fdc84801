// The Worker on a database nobody migrated (D1, or Neon Postgres): GET /health and every
// route that reaches the database answer 503 `database_not_migrated` with a message that
// says what to apply, never a 500 or workerd's error page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshId } from "../support/api.js";
import { ROUTES } from "../support/routes.js";
import { dropD1Schema } from "./support/d1.js";
import { neonTestDatabase } from "./support/neon.js";
import { type WorkerUnderTest, workerOn } from "./support/worker.js";

const BACKENDS = [
  {
    name: "D1",
    hint: "wrangler d1 migrations apply",
    worker: () => {
      let dropped: Awaited<ReturnType<typeof dropD1Schema>>;
      beforeAll(async () => {
        dropped = await dropD1Schema();
      });
      afterAll(async () => {
        await dropped?.restore();
      });
      return workerOn({ STATS_CACHE_SECONDS: "0" });
    },
  },
  {
    name: "Neon",
    hint: "drizzle-kit migrate",
    worker: () => workerOn({ STATS_CACHE_SECONDS: "0" }, { postgres: neonTestDatabase({ schema: false }) }),
  },
];

describe.each(BACKENDS)("the Worker on $name without the schema", ({ hint, worker }) => {
  const w: WorkerUnderTest = worker();

  it(`answers GET /health 503 database_not_migrated, saying to run ${hint}`, async () => {
    const res = await w.call("GET", "/health", undefined, { token: null });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: "database_not_migrated",
      message: expect.stringContaining(hint),
      status: "unavailable",
    });
  });

  // GET /metrics reads no database.
  for (const route of ROUTES.filter((r) => r.route !== "/metrics" && r.route !== "/health")) {
    it(`answers ${route.method} ${route.route} 503 database_not_migrated, saying to run ${hint}`, async () => {
      const e = freshId("unmigrated");
      const res = await w.call(route.method, route.path(e), route.body?.(e));
      expect(res.status).toBe(503);
      const body = await res.json<Record<string, unknown>>();
      expect(body).toMatchObject({ error: "database_not_migrated", message: expect.stringContaining(hint) });
      expect(body.request_id).toBe(res.headers.get("X-Request-Id"));
    });
  }
});
