// The Worker builds its app (config, logger, metrics, routes) once per isolate, i.e. once
// per env object, and opens a store per request: requests of one isolate share the app,
// each still answered from its own store.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { appFor } from "../../src/worker/app.js";
import type { WorkerEnv } from "../../src/worker/env.js";
import { TOKENS } from "./support/tokens.js";

describe("the Worker's app", () => {
  it("is built once per env and serves every request of it from a store of its own", async () => {
    const isolateEnv: WorkerEnv = { ...env, STATS_CACHE_SECONDS: "0", LOG_LEVEL: "error" };
    const app = appFor(isolateEnv);
    expect(appFor(isolateEnv)).toBe(app);
    expect(appFor({ ...isolateEnv })).not.toBe(app);

    const headers = { Authorization: `Bearer ${TOKENS.ingest}`, "Content-Type": "application/json" };
    const body = JSON.stringify({ ticket_id: "t-isolate", event_id: "isolate" });
    const call = async (path: string, init: RequestInit) => {
      const ctx = createExecutionContext();
      const res = await app.request(path, init, isolateEnv, ctx);
      await waitOnExecutionContext(ctx); // the request's store closes after its answer
      return res;
    };
    for (let i = 0; i < 3; i++) {
      expect((await call("/scans", { method: "POST", headers, body })).status).toBe(201);
    }
    const stats = await call("/stats?event_id=isolate", {
      headers: { Authorization: `Bearer ${TOKENS.reader}` },
    });
    expect(await stats.json()).toMatchObject({ scan_count: 3 });
  });
});
