// GET /docs in process (app.request): a public HTML page that loads nothing but relative,
// same-origin URLs, under a CSP that allows nothing else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS_ASSETS, urlsIn } from "../support/docs-page.js";
import { type RouteApp, routeApp } from "../support/route-app.js";

describe("GET /docs", () => {
  let t: RouteApp;
  beforeAll(async () => {
    t = await routeApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers the Swagger UI page without a token, as HTML, not to be sniffed, framed or cached stale", async () => {
    const res = await t.call("GET", "/docs", { as: "none" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("Cache-Control")).toBe("no-cache");
    expect(await res.text()).toContain('<div id="swagger-ui"></div>');
  });

  it("allows nothing but its own origin: no other host, no inline script or style, no eval", async () => {
    const csp = (await t.call("GET", "/docs", { as: "none" })).headers.get("Content-Security-Policy") ?? "";
    const directives = new Map(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    // Swagger UI's icons are data: URIs in its CSS: the one source beyond 'self'.
    expect(directives.get("img-src")).toEqual(["'self'", "data:"]);
    for (const [name, sources] of directives) {
      expect(
        sources.filter((s) => !["'self'", "'none'", "data:"].includes(s)),
        name,
      ).toEqual([]);
    }
  });

  it("loads only relative same-origin URLs: Swagger UI's versioned files, its init script, openapi.json", async () => {
    const html = await (await t.call("GET", "/docs", { as: "none" })).text();
    expect(urlsIn(html).sort()).toEqual(
      [
        `${DOCS_ASSETS}/favicon-32x32.png`,
        `${DOCS_ASSETS}/swagger-ui.css`,
        `${DOCS_ASSETS}/swagger-ui-bundle.js`,
        "docs/init.js",
        "docs/docs.css",
        "openapi.json",
      ].sort(),
    );
    // Nothing inline: every script has a src, and there is no style element or attribute.
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    expect(html).not.toMatch(/<style|\sstyle=/);
  });

  it("GET /docs/init.js starts Swagger UI on the relative openapi.json, keeping the caller's token, with no online validator", async () => {
    const res = await t.call("GET", "/docs/init.js", { as: "none" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const script = await res.text();
    expect(script).toContain('url: "openapi.json"');
    expect(script).toContain("persistAuthorization: true");
    expect(script).toContain("validatorUrl: null");
    expect(script).not.toMatch(/https?:/);
  });
});
