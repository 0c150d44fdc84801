// Node's metrics sink: prom-client, served as Prometheus text at GET /metrics.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { Metrics } from "./metrics.js";

export function prometheusMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "veritix_" });
  const dbSeconds = new Histogram({
    name: "veritix_db_operation_seconds",
    help: "Database operations by operation and result",
    labelNames: ["operation", "result"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const records = new Counter({
    name: "veritix_records_ingested_total",
    help: "Records received by kind and outcome (stored, duplicate, rejected)",
    labelNames: ["kind", "outcome"],
    registers: [registry],
  });
  const http = new Histogram({
    name: "veritix_http_request_seconds",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    dbOperation: (operation, seconds, ok) =>
      dbSeconds.observe({ operation, result: ok ? "ok" : "error" }, seconds),
    recordsIngested: (kind, outcome, count) => records.inc({ kind, outcome }, count),
    httpRequest: (method, route, status, seconds) =>
      http.observe({ method, route, status: String(status) }, seconds),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
