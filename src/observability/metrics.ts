// What the service measures; each runtime supplies a sink (prom-client on Node, Workers
// Analytics Engine on Workers). The app and the measured store (src/store/instrumented.ts)
// only see this interface.

export type IngestOutcome = "stored" | "duplicate" | "rejected";

export interface Metrics {
  dbOperation(operation: string, seconds: number, ok: boolean): void;
  recordsIngested(kind: string, outcome: IngestOutcome, count: number): void;
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** Prometheus text exposition, where the runtime can be scraped. */
  render?(): Promise<{ contentType: string; body: string }>;
}

export const noMetrics: Metrics = {
  dbOperation() {},
  recordsIngested() {},
  httpRequest() {},
};
