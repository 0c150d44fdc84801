// Workers' metrics sink: no process lives long enough to be scraped, so each measurement
// is one Workers Analytics Engine data point, queried later with SQL. Layout of a point:
//   index1 = metric name (the sampling key)
//   blob1  = metric name, blob2.. = its labels (see below)
//   double1 = the value (milliseconds for timings, a count otherwise), double2 = 1 per event
// db_operation: blob2 operation, blob3 "ok" | "error"
// records_ingested: blob2 kind, blob3 outcome
// http_request: blob2 method, blob3 route, blob4 status
import type { Metrics } from "./metrics.js";

/** The part of an AnalyticsEngineDataset binding this sink uses. */
export interface DataPointSink {
  writeDataPoint(point: { indexes: string[]; blobs: string[]; doubles: number[] }): void;
}

export function analyticsEngineMetrics(dataset: DataPointSink): Metrics {
  const write = (name: string, labels: string[], value: number) => {
    try {
      dataset.writeDataPoint({ indexes: [name], blobs: [name, ...labels], doubles: [value, 1] });
    } catch {
      // Measuring must never fail the request it measures.
    }
  };
  return {
    dbOperation: (operation, seconds, ok) =>
      write("db_operation", [operation, ok ? "ok" : "error"], seconds * 1000),
    recordsIngested: (kind, outcome, count) => write("records_ingested", [kind, outcome], count),
    httpRequest: (method, route, status, seconds) =>
      write("http_request", [method, route, String(status)], seconds * 1000),
  };
}
