// Random input to every operation, in process (../support/random-input.ts): many requests
// per seed here; the HTTP contract runs a few on every target.
import { afterAll, beforeAll, describe } from "vitest";
import OPENAPI_DOCUMENT from "../../src/openapi.json" with { type: "json" };
import { conformanceTo } from "../support/conformance.js";
import { randomInputChecks } from "../support/random-input.js";
import { type RouteApp, routeApp } from "../support/route-app.js";

describe("random input to every operation", () => {
  let t: RouteApp;
  beforeAll(async () => {
    // Every answer is also held to the OpenAPI document.
    t = (await conformanceTo(OPENAPI_DOCUMENT)).wrap(await routeApp());
  });
  afterAll(async () => {
    await t?.close();
  });
  randomInputChecks(() => t, { seeds: [1, 2, 3], count: 1500 });
});
