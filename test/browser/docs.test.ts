// The docs page on both runtimes, over real HTTP: the Node server (as `npm start` runs it)
// and the Worker in workerd (`wrangler dev`, the production config, its Static Assets),
// each serving the page and every file it loads, the same files as the build made them;
// then in Chromium with no network but the server's, as a person sees it: the document's
// operations, the two security schemes under Authorize, and "Try it out" with a token.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_DIR } from "../../src/node/public-assets.js";
import { axeViolations } from "../support/axe.js";
import { browserTestsRun, offlineBrowser } from "../support/browser.js";
import { DOCS_ASSETS, mediaTypeOf, urlsIn } from "../support/docs-page.js";
import { nodeTarget } from "../support/targets/node.js";
import { startAll } from "../support/targets/start-all.js";
import type { HttpTarget } from "../support/targets/target.js";
import { workerOnD1 } from "../support/targets/worker.js";
import { TOKENS } from "../support/tokens.js";

const TARGETS = [
  { name: "Node", start: () => nodeTarget("sqlite") },
  { name: "the Worker", start: workerOnD1 },
];

// Every target starts at once; each block waits for its own.
const started = startAll(TARGETS);

type Operations = { paths: Record<string, Record<string, unknown>> };

describe.each(TARGETS)("the docs page on $name", ({ name }) => {
  let t: HttpTarget;
  beforeAll(async () => {
    t = await started(name);
  }, 120_000);

  it("serves the page, and each file it loads with its media type; Swagger UI's as built, cached for good", async () => {
    const page = await fetch(`${t.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    const urls = urlsIn(await page.text());
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) {
      const res = await fetch(new URL(url, `${t.url}/docs`));
      expect(res.status, url).toBe(200);
      expect(res.headers.get("Content-Type"), url).toMatch(mediaTypeOf(url));
      const body = Buffer.from(await res.arrayBuffer());
      if (!url.startsWith(DOCS_ASSETS)) continue;
      expect(res.headers.get("Cache-Control"), url).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("X-Content-Type-Options"), url).toBe("nosniff");
      const built = readFileSync(join(PUBLIC_DIR, url));
      expect(body.equals(built), `${url} is the built file`).toBe(true);
    }
  });

  it("does not serve the asset directory's own files, or a file the page does not load", async () => {
    for (const path of [
      "/_headers",
      "/.assetsignore",
      `/${DOCS_ASSETS}/swagger-ui.css.gz`,
      `/${DOCS_ASSETS}/index.html`,
    ]) {
      expect((await fetch(`${t.url}${path}`)).status, path).toBe(404);
    }
  });

  it.skipIf(!browserTestsRun)(
    "renders every operation of the document, offline, with nothing blocked or complained about",
    async () => {
      const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as Operations;
      const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const browser = await offlineBrowser(new URL(t.url).origin);
      const { page } = browser;
      const shot = join(tmpdir(), `veritix-docs-${name === "Node" ? "node" : "worker"}.png`);
      try {
        await page.goto(`${t.url}/docs`);
        const block = (method: string, path: string) =>
          page.locator(`.opblock-${method}`, {
            has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
          });
        await block("post", "/scans").waitFor();
        expect(await block("get", "/stats").isVisible()).toBe(true);
        const rendered = await page
          .locator(".opblock")
          .evaluateAll((blocks) =>
            blocks.map(
              (b) =>
                `${b.querySelector(".opblock-summary-method")?.textContent} ${b.querySelector(".opblock-summary-path")?.getAttribute("data-path")}`,
            ),
          );
        expect(rendered.sort()).toEqual(documented.sort());

        // Authorize offers both schemes; the reader's token then goes with "Try it out".
        await page.locator(".auth-wrapper .btn.authorize").click();
        const schemes = page.locator(".modal-ux .auth-container h4");
        await expect
          .poll(() => schemes.allInnerTexts())
          .toEqual([expect.stringContaining("apiToken"), expect.stringContaining("scannerToken")]);
        expect(await axeViolations(page, ["nested-interactive"]), "axe, Authorize open").toEqual([]);
        await page.locator(".modal-ux .auth-container").first().locator("input").fill(TOKENS.reader);
        await page.locator(".modal-ux .auth-container").first().locator("button.authorize").click();
        await page.locator(".modal-ux button.close-modal").click();
        const stats = block("get", "/stats");
        await stats.locator(".opblock-summary-control").click();
        await stats.locator("button.try-out__btn").click();
        await stats.locator("button.execute").click();
        const status = stats.locator(".live-responses-table tbody .response-col_status");
        await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe("200");
        await page.screenshot({ path: shot, fullPage: true });
        // Readable and operable (WCAG 2.1 AA) on a desk and a phone, an operation open. Not
        // `nested-interactive`: Swagger UI's own markup (a button in each operation's
        // header), not ours to change.
        expect(await axeViolations(page, ["nested-interactive"]), "axe at 1280 px").toEqual([]);
        await page.setViewportSize({ width: 375, height: 800 });
        expect(await axeViolations(page, ["nested-interactive"]), "axe at 375 px").toEqual([]);
        // Nothing wider than a phone: an answer's example scrolls in its box.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

        expect(browser.foreign, "requests to anywhere but the server").toEqual([]);
        expect(browser.problems, `what the page complained about (screenshot: ${shot})`).toEqual([]);
      } catch (err) {
        await page.screenshot({ path: shot }).catch(() => {});
        throw err;
      } finally {
        await browser.close();
      }
    },
    180_000,
  );
});
