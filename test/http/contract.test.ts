// The HTTP contract of DESIGN.md, written once and run over real HTTP against every
// target: the Node server on SQLite and on Postgres (in this process), and the Worker in
// workerd (`wrangler dev --local`, production config) on D1 and on Neon serverless
// Postgres. Each target starts once for this file; every test creates its own events.
import { beforeAll, describe, expect, it } from "vitest";
import { authChecks, scopeChecks } from "../support/auth-checks.js";
import { RECORD_KINDS } from "../support/bad-input.js";
import { queryChecks, recordRouteChecks, syncChecks } from "../support/bad-input-checks.js";
import { type Conformance, documentConformance } from "../support/conformance.js";
import { randomInputChecks } from "../support/random-input.js";
import { routesServedBy } from "../support/routes.js";
import { nodeTarget } from "../support/targets/node.js";
import { startAll } from "../support/targets/start-all.js";
import type { HttpTarget } from "../support/targets/target.js";
import { workerOnD1, workerOnNeon } from "../support/targets/worker.js";
import { clientChecks } from "./contract/client.js";
import { corsChecks } from "./contract/cors.js";
import { documentChecks } from "./contract/document.js";
import { entryFlow } from "./contract/entry-flow.js";
import { exportChecks } from "./contract/export.js";
import { listings } from "./contract/listings.js";
import { recordsAndStats } from "./contract/records.js";
import { revocationChecks } from "./contract/revocation.js";
import { scopeFiltering } from "./contract/scope.js";
import { signalChecks } from "./contract/signals.js";
import { sync } from "./contract/sync.js";

const TARGETS = [
  { name: "Node on SQLite", prometheus: true, start: () => nodeTarget("sqlite") },
  { name: "Node on Postgres", prometheus: true, start: () => nodeTarget("postgres") },
  { name: "Worker on D1", prometheus: false, start: workerOnD1 },
  { name: "Worker on Neon", prometheus: false, start: workerOnNeon },
];

// Every target starts at once; each block waits for its own.
const started = startAll(TARGETS);

describe.each(TARGETS)("HTTP contract: $name", ({ name, prometheus }) => {
  let t: HttpTarget;
  let conformance: Conformance;
  beforeAll(async () => {
    const running = await started(name);
    // Every answer of every section below is held to the target's own OpenAPI document.
    conformance = await documentConformance(running.url);
    t = conformance.wrap(running);
  }, 120_000);
  const target = () => t;

  describe("records and stats", () => recordsAndStats(target));
  describe("listings", () => listings(target));
  describe("POST /sync and device health", () => sync(target));
  describe("entry flow and attendance", () => entryFlow(target));
  describe("signals", () => signalChecks(target));
  describe("export", () => exportChecks(target));
  describe("the OpenAPI document", () => documentChecks(target));
  describe("the typed client", () => clientChecks(target));
  describe("CORS", () => corsChecks(target));
  describe("auth by role", () => authChecks(target, routesServedBy({ prometheus })));
  describe("event-scoped readers", () => {
    scopeChecks(target, routesServedBy({ prometheus }));
    scopeFiltering(target);
  });
  describe("revoking one scanner", () => revocationChecks(target));
  describe("bad input", () => {
    for (const k of RECORD_KINDS) recordRouteChecks(target, k);
    syncChecks(target);
    queryChecks(target);
    randomInputChecks(target, { seeds: [4], count: 500 });
  });
  // Last: what the sections above exercised.
  describe("the OpenAPI document, against the answers", () => {
    it("was exercised on every operation: an answer of its own, and a refusal wherever it can refuse", () => {
      // What every route like it may answer (./support/conformance.ts checks those too);
      // the rest are the operation's own answers (GET /metrics' own is a 404 on Workers).
      const shared = new Set([304, 400, 401, 403, 413, 503]);
      const seen = [...conformance.seen];
      for (const [path, item] of Object.entries(conformance.document.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const route = `${method.toUpperCase()} ${path}`;
          const statuses = seen.filter((s) => s.startsWith(`${route} `)).map((s) => Number(s.split(" ")[2]));
          expect(
            statuses.some((s) => !shared.has(s)),
            `${route}: none of its own answers seen`,
          ).toBe(true);
          const refusals = Object.keys(op.responses).filter((s) => ["400", "401", "403"].includes(s));
          if (refusals.length) {
            expect(
              statuses.some((s) => s >= 400 && s < 500),
              `${route}: no refusal seen`,
            ).toBe(true);
          }
        }
      }
    });
  });
});
