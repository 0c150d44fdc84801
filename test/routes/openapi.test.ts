// The OpenAPI document's reach: every route the app serves is built from an operation spec
// (src/http/operation.ts), so the document (read off those specs) describes it. A route
// added without one would be served and undocumented; this fails first.
import { Hono } from "hono";
import { findTargetHandler } from "hono/utils/handler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps, AppEnv } from "../../src/http/env.js";
import { buildDocument } from "../../src/http/openapi.js";
import { operation, operationOf } from "../../src/http/operation.js";
import OPENAPI_DOCUMENT from "../../src/openapi.json" with { type: "json" };
import { adminRoutes } from "../../src/routes/admin.js";
import { type RouteApp, routeApp } from "../support/route-app.js";

/** The answer headers of a cached read (200 and 304), and their components. */
const CACHED_READ_HEADERS = [
  ["ETag", "ETag"],
  ["Cache-Control", "CacheControl"],
  ["X-Cache", "XCache"],
] as const;

/** Served, but not API: the docs page's init script and stylesheet (files of the page, like its assets). */
const NOT_API = new Set(["GET /docs/init.js", "GET /docs/docs.css"]);

describe("the OpenAPI document's reach", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("every route the app serves is built from an operation spec, and the document lists it", () => {
    const described = new Map<string, boolean>();
    for (const route of t.app.routes) {
      if (route.method === "ALL") continue; // middleware of every route
      // The document writes Hono's `:name` as `{name}`.
      const key = `${route.method} ${route.path.replace(/:([A-Za-z_]\w*)/g, "{$1}")}`;
      described.set(
        key,
        (described.get(key) ?? false) || operationOf(findTargetHandler(route.handler)) !== undefined,
      );
    }
    const routes = [...described.keys()].filter((k) => !NOT_API.has(k));
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((k) => !described.get(k))).toEqual([]);
    const paths = OPENAPI_DOCUMENT.paths as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.sort());
  });

  // Each operation's words and answers sit in its route file's .docs.ts, joined by
  // operationId (src/http/operation-docs.ts): neither side may go missing unnoticed.
  it("refuses to build a document for an operation without docs, or with docs of an operation not served", () => {
    const deps = {} as AppDeps;
    const undocumented = new Hono<AppEnv>().route("/", t.app).get(
      "/undocumented",
      operation(deps, {
        operationId: "undocumentedThing",
        tag: "Service",
        access: "public",
        database: false,
      }),
      (c) => c.text("hi"),
    );
    expect(() => buildDocument(undocumented)).toThrow(/undocumentedThing has no docs/);
    const part = new Hono<AppEnv>().route("/", adminRoutes(deps));
    expect(() => buildDocument(part)).toThrow(/docs of operations the app does not serve: .*getStats/);
    expect(buildDocument(t.app).paths).toEqual(OPENAPI_DOCUMENT.paths);
  });

  it("documents the headers a generated client needs: X-Request-Id everywhere, ETag, Cache-Control, X-Cache, If-None-Match and Cache-Control: no-cache on the cached reads", () => {
    type Op = {
      parameters?: { $ref?: string }[];
      responses: Record<string, { headers?: Record<string, { $ref?: string }> }>;
    };
    const ops = Object.entries(
      OPENAPI_DOCUMENT.paths as unknown as Record<string, Record<string, Op>>,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ name: `${method} ${path}`, op })),
    );
    const cached = ops.filter(({ op }) => "304" in op.responses);
    expect(cached.map((c) => c.name)).toEqual(expect.arrayContaining(["get /stats", "get /stats/gates"]));
    for (const { name, op } of ops) {
      const params = (op.parameters ?? []).map((p) => p.$ref);
      expect(params, name).toContain("#/components/parameters/RequestId");
      // The document itself is a Static Asset on Workers, served without the app's headers.
      if (name !== "get /openapi.json")
        for (const [status, answer] of Object.entries(op.responses)) {
          expect(answer.headers?.["X-Request-Id"]?.$ref, `${name} ${status}`).toBe(
            "#/components/headers/RequestId",
          );
        }
      const isCached = "304" in op.responses;
      expect(params.includes("#/components/parameters/IfNoneMatch"), name).toBe(isCached);
      expect(params.includes("#/components/parameters/CacheControl"), name).toBe(isCached);
      if (isCached) {
        for (const status of ["200", "304"])
          for (const [header, component] of CACHED_READ_HEADERS)
            expect(op.responses[status]?.headers?.[header]?.$ref, `${name} ${status}`).toBe(
              `#/components/headers/${component}`,
            );
      }
    }
  });

  it("gives no optional query parameter an example: the docs page fills examples into the boxes it sends", () => {
    type Parameter = {
      in: string;
      name: string;
      required?: boolean;
      example?: unknown;
      schema?: { example?: unknown };
    };
    const paths = OPENAPI_DOCUMENT.paths as unknown as Record<
      string,
      Record<string, { parameters?: Parameter[] }>
    >;
    const filled: string[] = [];
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) {
          if (p.in === "query" && !p.required && (p.example !== undefined || p.schema?.example !== undefined))
            filled.push(`${method.toUpperCase()} ${path} ?${p.name}`);
        }
      }
    }
    expect(filled).toEqual([]);
  });
});
