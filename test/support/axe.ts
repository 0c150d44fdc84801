// axe-core, the accessibility engine browsers' own audits use, run in a test's page: the
// WCAG 2.1 A and AA rules, each violation as "rule: element, element". Injected through
// the DevTools protocol (page.evaluate), which the pages' CSP does not govern, so the page
// under test loads nothing it would not load by itself.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** The page's WCAG 2.1 AA violations as axe finds them, but for the rules in `except`. */
export async function axeViolations(page: Page, except: string[] = []): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, except }) => {
      const axe = (window as unknown as { axe: typeof import("axe-core") }).axe;
      const result = await axe.run(document, {
        runOnly: { type: "tag", values: tags },
        rules: Object.fromEntries(except.map((id) => [id, { enabled: false }])),
      });
      return result.violations.map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 5)
            .join(", ")}`,
      );
    },
    { tags: WCAG_AA, except },
  );
}
