// The Worker-side reference of bench/worker-cpu.ts: a bare Hono Worker, no middleware,
// validation, database, log or metrics, run by `wrangler dev --local` as the real Worker is
// (bench/support/bare-server.ts is the same for Node).
import { Hono } from "hono";

type Env = { Bindings: { BARE_STATS_JSON?: string } };

const app = new Hono<Env>();
app.post("/bare", async (c) => {
  await c.req.json();
  return c.json({ id: 1, uuid: "x" }, 201);
});
// GET /stats?event_id's answer from memory (the bench hands it over as a var): the route
// with nothing but Hono and the JSON.
let stats: Record<string, unknown> | undefined;
app.get("/bare/stats", (c) => {
  stats ??= JSON.parse(c.env.BARE_STATS_JSON ?? "{}") as Record<string, unknown>;
  return c.json(stats);
});

export default app;
