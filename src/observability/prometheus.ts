// Node's metrics sink: prom-client, served as Prometheus text at GET /metrics.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { StorePressure } from "../store/types.js";
import type { Metrics } from "./metrics.js";

export interface PrometheusMetrics extends Metrics {
  /**
   * The store's load as gauges, read at each scrape: writes queued for group commit and
   * groups committing (a write path saturating shows here before it answers "busy"), and
   * the Postgres pool's connections.
   */
  watchStore(read: () => Promise<StorePressure | undefined>): void;
}

export function prometheusMetrics(): PrometheusMetrics {
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
  const watchStore = (read: () => Promise<StorePressure | undefined>) => {
    /** A gauge set at each scrape from the store's reading (none: left unset). */
    const gauge = (
      name: string,
      help: string,
      set: (g: Gauge, p: StorePressure) => void,
      labelNames: string[] = [],
    ) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          const p = await read();
          if (p) set(this, p);
        },
      });
    gauge("veritix_db_writes_queued", "Write calls waiting for group commit", (g, p) =>
      g.set(p.writesQueued),
    );
    gauge("veritix_db_write_groups_in_flight", "Group commits under way", (g, p) =>
      g.set(p.writeGroupsInFlight),
    );
    gauge(
      "veritix_db_pool_connections",
      "Postgres pool: connections open (total), idle, and callers waiting for one",
      (g, { pool }) => {
        if (pool) for (const state of ["total", "idle", "waiting"] as const) g.set({ state }, pool[state]);
      },
      ["state"],
    );
  };
  return {
    watchStore,
    dbOperation: (operation, seconds, ok) =>
      dbSeconds.observe({ operation, result: ok ? "ok" : "error" }, seconds),
    recordsIngested: (kind, outcome, count) => records.inc({ kind, outcome }, count),
    httpRequest: (method, route, status, seconds) =>
      http.observe({ method, route, status: String(status) }, seconds),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
