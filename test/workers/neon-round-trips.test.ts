// What one request costs on the Neon path, counted at the WebSocket proxy: connections
// and round trips (how often the Worker waits on the database). Counts, not timings.
// Here the connection starts without pipelining (a local server with trust auth, no
// pipelineConnect); Neon's own endpoint pipelines startup with the first query.
import { describe, expect, it } from "vitest";
import { issueScannerToken } from "../../src/auth/signed-tokens.js";
import { SPEC, syncBody, syncScan } from "../support/records.js";
import { SIGNING_KEY } from "../support/tokens.js";
import type { ProxyCounters } from "../support/ws-proxy.js";
import { neonTestDatabase } from "./support/neon.js";
import { type WorkerUnderTest, workerOn } from "./support/worker.js";

const postgres = neonTestDatabase();

async function traffic(request: (w: WorkerUnderTest) => Promise<Response>) {
  const proxyTag = `rt-${crypto.randomUUID().slice(0, 8)}`;
  const res = await request(workerOn({ SCANNER_SIGNING_KEY: SIGNING_KEY }, { postgres, proxyTag }));
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

  it("POST /sync with a scanner's signed token: an API token's round trips, revoked or not (the revocation check rides on the batch statement)", async () => {
    const scanner = `rt-gate-${crypto.randomUUID().slice(0, 8)}`;
    const signed = await issueScannerToken(scanner, SIGNING_KEY);
    const sync = async (token: string) => {
      const { status, connections, roundTrips } = await traffic((w) =>
        w.call("POST", "/sync", syncBody(scanner, { scans: [syncScan("rt-sync")] }), { token }),
      );
      return { status, connections, roundTrips };
    };
    const byApiToken = await sync("ingest");
    expect(byApiToken).toEqual({ status: 200, connections: 1, roundTrips: 2 });
    expect(await sync(signed)).toEqual(byApiToken);
    const revoked = await traffic((w) => w.call("POST", "/admin/revocations", { scanner_id: scanner }));
    expect(revoked.status).toBe(200);
    expect(await sync(signed)).toEqual({ ...byApiToken, status: 401 });
  });

  it("GET /admissions with a scanner's signed token: one statement, as a reader's", async () => {
    const signed = await issueScannerToken(`rt-gate-${crypto.randomUUID().slice(0, 8)}`, SIGNING_KEY);
    const ask = async (token: string) => {
      const { status, connections, roundTrips } = await traffic((w) =>
        w.call("GET", "/admissions/t1?event_id=rt-adm", undefined, { token }),
      );
      return { status, connections, roundTrips };
    };
    expect(await ask("reader")).toEqual({ status: 200, connections: 1, roundTrips: 2 });
    expect(await ask(signed)).toEqual({ status: 200, connections: 1, roundTrips: 2 });
  });

  it("a request refused before the store (401, 404) opens no connection", async () => {
    expect(await traffic((w) => w.call("GET", "/stats", undefined, { token: null }))).toMatchObject({
      status: 401,
      connections: 0,
    });
    expect(await traffic((w) => w.call("GET", "/nope"))).toMatchObject({ status: 404, connections: 0 });
  });
});
