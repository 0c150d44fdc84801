// Child process of the bench: the reference. A bare Hono app on @hono/node-server, with
// no middleware, validation or database, served exactly as the real server is.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/bare", async (c) => {
  await c.req.json();
  return c.json({ id: 1, uuid: "x" }, 201);
});
app.get("/bare", (c) => c.json({ status: "ok" }));
// GET /stats?event_id's answer, from memory (bench/cpu.ts hands it over): what the route
// would cost with no auth, database, log or metrics.
const stats = JSON.parse(process.env.BARE_STATS_JSON ?? "{}") as Record<string, unknown>;
app.get("/bare/stats", (c) => c.json(stats));

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${info.port}` }));
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
