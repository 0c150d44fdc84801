// A real browser for the tests that look at a page as a person does: Debian's Chromium
// (/usr/bin/chromium; .ci/run installs it) driven by playwright-core, on a fresh profile,
// with no network but the server under test: every other request is blocked and recorded,
// so a page that reaches for a CDN fails its test rather than working only online. What
// the page complains about (console errors and warnings, CSP violations, uncaught errors,
// failed or refused requests) is recorded too.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const inCi = !["", "0", "false"].includes(process.env.CI ?? "");

/**
 * Whether the browser tests run: always in CI, where a missing browser fails them; on a
 * developer's machine only where Chromium is installed.
 */
export const browserTestsRun = inCi || existsSync(CHROMIUM);

export interface OfflineBrowser {
  page: Page;
  /** Requests to anywhere but the server under test, which were blocked. */
  foreign: string[];
  /** What the page complained about, or failed to load from the server. */
  problems: string[];
  close(): Promise<void>;
}

/** Chromium with one page, allowed to reach `origin` and nothing else. */
export async function offlineBrowser(origin: string): Promise<OfflineBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  }
  const profile = mkdtempSync(join(tmpdir(), "veritix-chromium-"));
  const foreign: string[] = [];
  const problems: string[] = [];
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 1000 },
    });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      foreign.push(url);
      return route.abort("blockedbyclient");
    });
    // Chromium logs a CSP violation to the console; this names the directive as well.
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    // Generous: the tests share two cores with servers and workerd processes.
    context.setDefaultTimeout(60_000);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
    page.on("requestfailed", (req) => {
      if (new URL(req.url()).origin === origin)
        problems.push(`failed: ${req.url()} ${req.failure()?.errorText}`);
    });
    page.on("response", (res) => {
      if (res.status() >= 400) problems.push(`${res.status()}: ${res.url()}`);
    });
    return {
      page,
      foreign,
      problems,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
