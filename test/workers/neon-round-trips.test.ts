// What one request costs on the Neon path, counted at the WebSocket proxy: connections
// and round trips (how often the Worker waits on the database). Counts, not timings.
// Here the connection starts without pipelining (a local server with trust auth, no
// pipelineConnect); Neon's own endpoint pipelines startup with the first query.
import { describe, expect, it } from "vitest";
import { SPEC } from "../support/records.js";
import type { ProxyCounters } from "../support/ws-proxy.js";
import { neonTestDatabase } from "./support/neon.js";
import { type WorkerUnderTest, workerOn } from "./support/worker.js";

const postgres = neonTestDatabase();

async function traffic(request: (w: WorkerUnderTest) => Promise<Response>) {
  const proxyTag = `rt-${crypto.randomUUID().slice(0, 8)}`;
  const res = await request(workerOn({}, { postgres, proxyTag }));
  const counters = await (
    await fetch(`http://${postgres.proxy}/counters?tag=${proxyTag}`)
  ).json<ProxyCounters>();
  return { status: res.status, ...counters };
}

describe("database round trips per request on Neon", () => {
  it("POST /scans: one connection; the startup exchange, then one statement", async () => {
    const t = await traffic((w) => w.call("POST", "/scans", { ...SPEC.scan, event_id: "rt-e" }));
    expect(t).toMatchObject({ status: 201, connections: 1, roundTrips: 2 });
  });

  it("GET /stats?event_id=: one connection and one statement; answered from the cache, none", async () => {
    const url = `/stats?event_id=rt-${crypto.randomUUID()}`;
    expect(await traffic((w) => w.call("GET", url))).toMatchObject({
      status: 200,
      connections: 1,
      roundTrips: 2,
    });
    expect(await traffic((w) => w.call("GET", url))).toMatchObject({
      status: 200,
      connections: 0,
      roundTrips: 0,
    });
  });

  it("a request refused before the store (401, 404) opens no connection", async () => {
    expect(await traffic((w) => w.call("GET", "/stats", undefined, { token: null }))).toMatchObject({
      status: 401,
      connections: 0,
    });
    expect(await traffic((w) => w.call("GET", "/nope"))).toMatchObject({ status: 404, connections: 0 });
  });
});
