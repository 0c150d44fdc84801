// The dashboard in headless Chromium as a person at the gates opens it: the tests' browser
// (test/support/browser.ts: Debian's Chromium, a fresh profile, the same flags), the
// reader's token already in the tab's session storage, and a watch on the first figure.
import type { Page } from "playwright-core";
import { offlineBrowser } from "../../test/support/browser.js";
import { TOKEN_KEY } from "../../test/support/dashboard-page.js";
import { authHeaders } from "./auth.js";
import { type NetworkLog, recordNetwork } from "./page-network.js";

/** In-page times (ms from the start of the navigation, the page's performance.now()). */
export interface PageLoad {
  /** The page's HTML fully received. */
  html: number;
  /** DOMContentLoaded over: the module script has run (it is deferred). */
  ready: number;
  /** The first API request sent. */
  firstApi: number;
  /** #fig-admitted first holds a number. */
  figures: number;
  /** Each API request: its path, when it was sent and when its answer was in. */
  api: { path: string; start: number; end: number }[];
}

export interface DashboardBrowser {
  page: Page;
  network: NetworkLog;
  /** Navigates to `url` (from about:blank) and waits for the first figure. */
  load(url: string): Promise<PageLoad>;
  /** What went wrong: page errors, 4xx/5xx, requests to anywhere but the server. */
  problems(): string[];
  close(): Promise<void>;
}

interface Watched {
  __figuresAt?: number;
}

/** `acceptEncoding`: what the browser says it takes, in place of its own list. */
export async function dashboardBrowser(origin: string, acceptEncoding?: string): Promise<DashboardBrowser> {
  const b = await offlineBrowser(origin);
  const context = b.page.context();
  if (acceptEncoding) await context.setExtraHTTPHeaders({ "Accept-Encoding": acceptEncoding });
  // The tests block every other origin by routing each request through Playwright, which
  // also turns Chromium's HTTP cache off and puts a round trip to the driver before each
  // request: a warm load would be neither warm nor timed as users see it. The page's CSP
  // (default-src 'self') keeps it to its origin anyway; any other request is a problem.
  await context.unrouteAll();
  const elsewhere: string[] = [];
  b.page.on("request", (req) => {
    if (!req.url().startsWith("about:") && new URL(req.url()).origin !== origin) elsewhere.push(req.url());
  });
  const bearer = authHeaders("GET").Authorization?.replace(/^Bearer /, "") ?? null;
  await context.addInitScript(
    ({ key, token }) => {
      if (location.protocol !== "http:") return; // about:blank has no session storage
      if (token) sessionStorage.setItem(key, token);
      // A mutation observer's callback runs right after the DOM changed, before the frame
      // that shows it is painted (at most a frame later).
      const seen = new MutationObserver(() => {
        const text = document.getElementById("fig-admitted")?.textContent ?? "";
        if (!/\d/.test(text)) return;
        (window as Watched).__figuresAt = performance.now();
        seen.disconnect();
      });
      seen.observe(document, { subtree: true, childList: true, characterData: true });
    },
    { key: TOKEN_KEY, token: bearer },
  );
  const network = await recordNetwork(b.page);

  async function load(url: string): Promise<PageLoad> {
    await b.page.goto("about:blank");
    network.clear();
    await b.page.goto(url, { waitUntil: "commit" });
    await b.page.waitForFunction(() => (window as Watched).__figuresAt !== undefined, null, {
      polling: 20,
    });
    return b.page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const api = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((r) =>
        new URL(r.name).pathname.startsWith("/stats"),
      );
      return {
        html: nav.responseEnd,
        ready: nav.domContentLoadedEventEnd,
        firstApi: Math.min(...api.map((r) => r.startTime)),
        figures: (window as Watched).__figuresAt as number,
        // No named function in here: tsx would wrap it in a helper the page does not have.
        api: api.map((r) => {
          const url = new URL(r.name);
          const path = url.searchParams.has("event_id") ? url.pathname : `${url.pathname} (every event)`;
          return { path, start: r.startTime, end: r.responseEnd };
        }),
      };
    });
  }

  return {
    page: b.page,
    network,
    load,
    problems: () => [...b.problems, ...elsewhere.map((u) => `requested elsewhere: ${u}`)],
    close: () => b.close(),
  };
}
