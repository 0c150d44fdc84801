// A running target of the HTTP contract (test/http/contract.test.ts): the API over real
// HTTP, and a way to count the raw records behind its stats.
import type { Api } from "../api.js";

export interface HttpTarget extends Api {
  /** "Node on SQLite", "Worker on D1", ... */
  name: string;
  runtime: "node" | "workers";
  /** What GET /health names. */
  database: "sqlite" | "postgres" | "d1";
  /** GET /metrics serves Prometheus text (Node); elsewhere it is a 404 (Workers: Analytics Engine). */
  prometheus: boolean;
  url: string;
  stop(): Promise<void>;
}
