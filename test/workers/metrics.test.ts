// Database measurements on Workers go to the Analytics Engine binding METRICS when there
// is one; without it the Worker runs the same.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DataPointSink } from "../../src/observability/analytics-engine.js";
import { SPEC } from "../support/records.js";
import { workerOn } from "./support/worker.js";

type Point = Parameters<DataPointSink["writeDataPoint"]>[0];

describe("Worker metrics", () => {
  it("writes one data point per database operation, ingested records and request", async () => {
    // Analytics Engine is write-only: a dataset that keeps its points stands in for it.
    const points: Point[] = [];
    const METRICS = {
      writeDataPoint: (p: Point) => void points.push(p),
    } as unknown as AnalyticsEngineDataset;
    const w = workerOn({ METRICS });
    expect((await w.call("POST", "/scans", { ...SPEC.scan, event_id: "metrics-e" })).status).toBe(201);
    expect((await w.call("GET", "/stats/scans?event_id=metrics-e")).status).toBe(200);

    expect(points).toContainEqual({
      indexes: ["db_operation"],
      blobs: ["db_operation", "insert", "ok"],
      doubles: [expect.any(Number), 1],
    });
    expect(points).toContainEqual({
      indexes: ["db_operation"],
      blobs: ["db_operation", "list_scans", "ok"],
      doubles: [expect.any(Number), 1],
    });
    expect(points).toContainEqual({
      indexes: ["records_ingested"],
      blobs: ["records_ingested", "scans", "stored"],
      doubles: [1, 1],
    });
    expect(points).toContainEqual({
      indexes: ["http_request"],
      blobs: ["http_request", "POST", "/scans", "201"],
      doubles: [expect.any(Number), 1],
    });
  });

  it("runs with the dataset of wrangler.toml, and with none", async () => {
    expect(env.METRICS).toBeDefined();
    for (const METRICS of [env.METRICS, undefined]) {
      const w = workerOn({ METRICS });
      expect((await w.call("POST", "/scans", { ...SPEC.scan, event_id: "metrics-any" })).status).toBe(201);
      expect((await w.call("GET", "/health")).status).toBe(200);
    }
  });

  it("answers even when writing a data point throws", async () => {
    const METRICS = {
      writeDataPoint() {
        throw new Error("dataset unavailable");
      },
    } as unknown as AnalyticsEngineDataset;
    const w = workerOn({ METRICS });
    expect((await w.call("POST", "/scans", { ...SPEC.scan, event_id: "metrics-broken" })).status).toBe(201);
  });
});
