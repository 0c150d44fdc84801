// A running target of the HTTP contract (test/http/contract.test.ts): the API over real
// HTTP, and its database read apart from the server (the raw records behind its stats).
import type { Api } from "../api.js";
import type { RawDatabase } from "../entry-flow-recompute.js";

export interface HttpTarget extends Api {
  /** "Node on SQLite", "Worker on D1", ... */
  name: string;
  runtime: "node" | "workers";
  /** What GET /health names. */
  database: "sqlite" | "postgres" | "d1";
  /** GET /metrics serves Prometheus text (Node); elsewhere it is a 404 (Workers: Analytics Engine). */
  prometheus: boolean;
  url: string;
  /** The target's own database, read directly (../entry-flow-recompute.ts recomputes from it). */
  raw: RawDatabase;
  stop(): Promise<void>;
}
