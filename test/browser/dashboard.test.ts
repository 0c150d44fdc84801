// The live gate dashboard in Chromium, as an operator sees it, on Node (SQLite) and on the
// Worker (D1, its Static Assets), each reached through a TCP switch that can take the
// server away for real: the token prompt, the figures against the API's own answers,
// refreshes that cost only 304s, records that appear without a reload, the offline notice
// and the recovery. On Node in open mode (no tokens): no prompt, and the event picker.
// Screenshots at 375 and 1280 px go to tmp/artifacts/.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueReaderToken } from "../../src/auth/signed-tokens.js";
import { PUBLIC_DIR } from "../../src/node/public-assets.js";
import { axeViolations } from "../support/axe.js";
import { browserTestsRun, type OfflineBrowser, offlineBrowser } from "../support/browser.js";
import {
  expectedRows,
  gatesTable,
  HELD_KEY,
  headline,
  seedDoors,
  TOKEN_KEY,
} from "../support/dashboard-page.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { nodeTarget } from "../support/targets/node.js";
import { startAll } from "../support/targets/start-all.js";
import type { HttpTarget } from "../support/targets/target.js";
import { workerOnD1 } from "../support/targets/worker.js";
import { type TcpSwitch, tcpSwitch } from "../support/tcp-switch.js";
import { SIGNING_KEY, TOKENS } from "../support/tokens.js";

const ARTIFACTS = fileURLToPath(new URL("../../tmp/artifacts", import.meta.url));
/** Two refreshes (5 s apart) and some slack for two shared cores. */
const TWO_REFRESHES = 15_000;

const TARGETS = [
  { name: "Node on SQLite", slug: "node", start: () => nodeTarget("sqlite") },
  { name: "the Worker on D1", slug: "worker", start: workerOnD1 },
];
const started = startAll(TARGETS);

const admitted = async (page: Page): Promise<number> => {
  const shown = (await headline(page)).Admitted;
  if (shown === undefined) throw new Error("no Admitted figure on the page");
  return shown;
};

/**
 * A browser on the dashboard of `event`, with the reader's token already in the tab;
 * `clock`: the page's time is the test's to move (Playwright's clock); `noStorage`: the
 * browser refuses the page its storage, as Chrome does with site data blocked (reading
 * `sessionStorage` throws a SecurityError).
 */
async function openDashboard(
  base: string,
  event: string,
  bearer: string | null,
  opts: { clock?: boolean; noStorage?: boolean } = {},
): Promise<OfflineBrowser> {
  const browser = await offlineBrowser(new URL(base).origin);
  if (opts.clock) await browser.page.clock.install();
  if (opts.noStorage) {
    await browser.page.context().addInitScript(() =>
      Object.defineProperty(window, "sessionStorage", {
        get: () => {
          throw new DOMException("Access is denied for this document.", "SecurityError");
        },
      }),
    );
  }
  if (bearer !== null) {
    await browser.page.context().addInitScript(({ key, value }) => sessionStorage.setItem(key, value), {
      key: TOKEN_KEY,
      value: bearer,
    });
  }
  await browser.page.goto(`${base}/dashboard?event_id=${encodeURIComponent(event)}`);
  return browser;
}

const figuresShown = (page: Page) =>
  expect.poll(() => page.locator("#fig-admitted").textContent(), { timeout: 30_000 }).toMatch(/^\d/);

describe.runIf(browserTestsRun).each(TARGETS)("the dashboard on $name", ({ name, slug }) => {
  let t: HttpTarget;
  let sw: TcpSwitch;
  const event = `dash-${slug}-${Date.now()}`;
  const read = async <T>(path: string): Promise<T> =>
    (await (
      await t.call("GET", `${path}${path.includes("?") ? "&" : "?"}event_id=${event}`, { as: "reader" })
    ).json()) as T;

  beforeAll(async () => {
    t = await started(name);
    sw = await tcpSwitch(t.url);
    await seedDoors(t, event);
  }, 180_000);
  afterAll(() => sw?.close());

  it("works with its storage refused (site data blocked): asks for the token, shows the figures and keeps them fresh", async () => {
    const browser = await openDashboard(sw.url, event, null, { noStorage: true });
    const { page } = browser;
    try {
      const dialog = page.getByRole("dialog", { name: "Reader token" });
      await dialog.waitFor();
      await dialog.getByLabel("Token").fill(TOKENS.reader);
      await dialog.getByRole("button", { name: "Show the figures" }).click();
      await figuresShown(page);
      expect(await admitted(page)).toBe(12);
      // Kept for the page's life: the next rounds go with it, not back to the dialog.
      const rounds: number[] = [];
      page.on("response", (r) => {
        if (new URL(r.url()).pathname === "/stats/attendance") rounds.push(r.status());
      });
      await expect.poll(() => rounds.length, { timeout: 3 * TWO_REFRESHES }).toBeGreaterThanOrEqual(2);
      expect(rounds.filter((s) => s === 401)).toEqual([]);
      expect(await dialog.isVisible()).toBe(false);
      expect(await page.locator("#offline").isVisible()).toBe(false);
      expect(await page.locator("#problem").isVisible()).toBe(false);
      expect(browser.problems.filter((p) => !p.startsWith("401: ") && !p.includes("status of 401"))).toEqual(
        [],
      );
    } finally {
      await browser.close();
    }
  }, 120_000);

  it("asks once for a reader token, says when one is refused, then shows the figures; forgets it when asked", async () => {
    const browser = await openDashboard(sw.url, event, null);
    const { page } = browser;
    try {
      const dialog = page.getByRole("dialog", { name: "Reader token" });
      await dialog.waitFor();
      await dialog.getByLabel("Token").fill("not-a-token-anybody-issued-0123");
      await dialog.getByRole("button", { name: "Show the figures" }).click();
      await expect.poll(() => dialog.getByRole("alert").textContent()).toContain("refused this token");
      // The field says why, to whoever reaches it; nothing on the page fails WCAG 2.1 AA.
      const field = dialog.getByLabel("Token");
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expect(await field.evaluate((el) => el.getAttribute("aria-describedby"))).toBe("token-error");
      expect(await axeViolations(page)).toEqual([]);
      // Pasted as it goes in a header: the page keeps the token alone.
      await dialog.getByLabel("Token").fill(`Bearer ${TOKENS.reader}`);
      await dialog.getByRole("button", { name: "Show the figures" }).click();
      await figuresShown(page);
      expect(await dialog.isVisible()).toBe(false);
      // The dialog gone, the keyboard is at the figures, not the top of the page.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
      expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(TOKENS.reader);
      // The token went as a header, never in a URL.
      expect(page.url()).not.toContain(TOKENS.reader);
      // A shared phone: forgotten on request, once confirmed (a stray tap keeps it), and
      // asked for again.
      const forget = page.getByRole("button", { name: "Forget token" });
      page.once("dialog", (d) => void d.dismiss());
      await forget.click();
      expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(TOKENS.reader);
      expect(await dialog.isVisible()).toBe(false);
      page.once("dialog", (d) => void d.accept());
      await forget.click();
      await dialog.waitFor();
      expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBeNull();
      // And the figures it read with it, kept for a reload: the next person sees none.
      expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
      expect(await page.locator("#fig-admitted").textContent()).toBe("—");
      expect(browser.foreign).toEqual([]);
      expect(browser.problems.filter((p) => !p.startsWith("401: ") && !p.includes("status of 401"))).toEqual(
        [],
      );
    } finally {
      await browser.close();
    }
  });

  it("tells a reader of other events so, and takes it to its own events if it chooses", async () => {
    const scoped = await issueReaderToken([`${event}-other`], SIGNING_KEY);
    const browser = await openDashboard(sw.url, event, scoped);
    const { page } = browser;
    try {
      const dialog = page.getByRole("dialog", { name: "Reader token" });
      await dialog.waitFor();
      await expect
        .poll(() => dialog.getByRole("alert").textContent())
        .toContain("may not read these figures");
      await dialog.getByRole("button", { name: "Choose another event" }).click();
      await expect.poll(() => page.locator("#choose").isVisible()).toBe(true);
      expect(await dialog.isVisible()).toBe(false);
      expect(new URL(page.url()).searchParams.get("event_id")).toBeNull();
      // The list is the token's own events: it may read GET /stats, of those only; its
      // event without records yet is listed, and says so.
      const other = page.locator("#event-list li", { hasText: `${event}-other` });
      await expect.poll(() => other.textContent()).toContain("No records yet");
      expect(await page.locator("#event-list li").count()).toBe(1);
      expect(browser.problems.filter((p) => !p.startsWith("403: ") && !p.includes("status of 403"))).toEqual(
        [],
      );
    } finally {
      await browser.close();
    }
  });

  it("shows the API's figures, flags the quiet scanner, the backlog and a wrong clock, and refreshes with 304s only", async () => {
    const browser = await openDashboard(sw.url, event, TOKENS.reader);
    const { page } = browser;
    const answers: { url: string; status: number }[] = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname.startsWith("/stats")) answers.push({ url: r.url(), status: r.status() });
    });
    try {
      await figuresShown(page);
      const stats = await read<Record<string, number>>("/stats");
      const att = await read<Record<string, number>>("/stats/attendance");
      expect(await headline(page)).toEqual({
        Admitted: att.admitted_count,
        "Valid scans": stats.valid_scan_count,
        "Invalid scans": stats.invalid_scan_count,
        "Repeat scans": att.repeat_scan_count,
        "Invalid attempts": stats.invalid_attempt_count,
        Transfers: stats.successful_transfer_count,
      });
      expect(att.admitted_count).toBe(12);

      // The gates table equals GET /stats/gates (both read again until they agree: the
      // "last 5 min" figures move with the clock).
      await expect
        .poll(async () => {
          const [rows, answer] = await Promise.all([
            gatesTable(page),
            read<Parameters<typeof expectedRows>[0]>("/stats/gates"),
          ]);
          return JSON.stringify(rows.map(({ flags: _, ...r }) => r)) === JSON.stringify(expectedRows(answer));
        })
        .toBe(true);
      const rows = await gatesTable(page);
      const flagsOf = (scanner: string) => rows.find((r) => r.name === scanner)?.flags;
      expect(flagsOf("gate-m-2")?.join()).toMatch(/^quiet \d+ min$/);
      expect(flagsOf("gate-n-1")).toEqual(["backlog 7", "clock 5 min behind"]);
      expect(flagsOf("gate-m-10")).toEqual([]);
      // The table by name (gate-m-2 before gate-m-10, which the answer lists first), and the
      // scanners to look at named, with why: a phone's table can be thousands of pixels long.
      expect(rows.map((r) => r.name)).toEqual([
        "Main Gate",
        "gate-m-2",
        "gate-m-10",
        "North Gate",
        "gate-n-1",
      ]);
      await expect
        .poll(() => page.locator("#gates-note").textContent())
        .toMatch(
          /2 scanners need a look: gate-m-2 \(quiet \d+ min\) and gate-n-1 \(backlog 7, clock 5 min behind\)$/,
        );

      await expect.poll(() => page.locator("#alert-summary").textContent()).toContain("2 double entries");
      expect(await page.locator("#alerts li").count()).toBe(2);
      expect(await page.locator("#attempts tbody tr").count()).toBe(2);
      expect(await page.locator("#curve-summary").textContent()).toContain("12 entries");
      expect(await page.locator("#chart canvas").count()).toBeGreaterThan(0);

      // Each URL: its first answer a 200, every later one a 304 (nothing changed meanwhile).
      // Counted per URL, not per answer: the curve's URL moves on when the clock crosses a
      // bucket's edge (its `to` follows now while the doors move), and that new URL's first
      // answer is rightly a 200.
      const repeated = () => {
        const seen = new Set<string>();
        return answers.filter(({ url }) => seen.has(url) || !seen.add(url));
      };
      // The gates' rows, marked: the rounds to come leave unchanged rows as they are (a
      // reader's place, a selection in them), not drawn anew.
      const gateRows = () =>
        page.evaluate(() =>
          Array.from(
            document.querySelectorAll("#gates tbody tr"),
            (r) => (r as Element & { seen?: boolean }).seen,
          ),
        );
      await page.evaluate(() => {
        for (const r of document.querySelectorAll("#gates tbody tr"))
          (r as Element & { seen?: boolean }).seen = true;
      });
      const before = repeated().length;
      // What is asserted is the answers' statuses, not how soon they come: on the Worker
      // under a loaded CI machine one round has taken longer than a refresh's wait.
      await expect
        .poll(() => repeated().length, { timeout: 3 * TWO_REFRESHES })
        .toBeGreaterThanOrEqual(before + 6);
      const repeats = repeated();
      expect(repeats.filter((a) => a.status !== 304)).toEqual([]);
      expect(await gateRows()).toEqual(rows.map(() => true));

      mkdirSync(ARTIFACTS, { recursive: true });
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(300); // the chart follows its box's width
        await page.screenshot({ path: join(ARTIFACTS, `dashboard-${slug}-${width}.png`), fullPage: true });
        expect(await axeViolations(page), `axe at ${width} px`).toEqual([]);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, "the page scrolls sideways at 375 px").toBeLessThanOrEqual(0);
      // Each invalid attempt whole on a phone: its ticket and address in view, not scrolled to.
      const attemptCells = await page.evaluate(() =>
        [...document.querySelectorAll("#attempts tbody td")].map((td) => ({
          text: td.textContent ?? "",
          right: td.getBoundingClientRect().right,
        })),
      );
      expect(attemptCells.map((c) => c.text).join(" ")).toMatch(/T-\S+.*\d+\.\d+\.\d+\.\d+/);
      expect(attemptCells.filter((c) => c.right > 375)).toEqual([]);
      expect(browser.foreign).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it("lists the alerts of the kind picked, asking the API for that kind alone, and keeps the items and rows still listed as the same elements", async () => {
    const browser = await openDashboard(sw.url, event, TOKENS.reader);
    const { page } = browser;
    const kinds: (string | null)[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.pathname === "/stats/alerts") kinds.push(url.searchParams.get("kind"));
    });
    const items = () => page.locator("#alerts li").allTextContents();
    const picker = page.locator(".alert-kinds");
    const marked = () =>
      page.evaluate(() =>
        Array.from(
          document.querySelectorAll("#alerts li"),
          (li) => (li as Element & { seen?: boolean }).seen === true,
        ),
      );
    try {
      await figuresShown(page);
      await expect.poll(async () => (await items()).length).toBe(2);
      await picker.getByLabel("Transfer chains").check();
      await expect.poll(items).toEqual(["No transfer chains."]);
      expect(kinds.at(-1)).toBe("transfer_chain");
      // The summary still counts every kind.
      expect(await page.locator("#alert-summary").textContent()).toContain("2 double entries");
      await picker.getByLabel("Double entries").check();
      await expect.poll(async () => (await items()).length).toBe(2);
      expect(kinds.at(-1)).toBe("double_entry");
      await picker.getByLabel("All").check();
      await expect.poll(() => kinds.at(-1)).toBeNull();
      // An alert or a scanner still listed a round later is the same element (a ticket id
      // selected in it stays selected), with a new one listed ahead of them: a ticket in
      // twice at a new scanner, gate-m-1, which sorts first at its gate.
      await page.evaluate(() => {
        for (const el of document.querySelectorAll("#alerts li, #gates tbody tr"))
          (el as Element & { seen?: boolean }).seen = true;
      });
      const at = Date.now();
      for (const [i, ago] of [2000, 1000].entries()) {
        const res = await t.call("POST", "/scans", {
          as: "ingest",
          body: {
            ticket_id: "T-keyed-1",
            event_id: event,
            scanner_id: "gate-m-1",
            location: "Main Gate",
            scan_timestamp: new Date(at - ago).toISOString(),
            uuid: `0190a000-0000-7000-8000-00000000000${i}`,
          },
        });
        expect(res.status).toBeLessThan(300);
      }
      await expect.poll(() => page.locator("#alerts li").count(), { timeout: 3 * TWO_REFRESHES }).toBe(3);
      expect(await marked()).toEqual([false, true, true]);
      const gateRows = await page.evaluate(() =>
        Array.from(document.querySelectorAll("#gates tbody tr"), (r) => [
          r.querySelector(".name")?.textContent,
          (r as Element & { seen?: boolean }).seen === true,
        ]),
      );
      expect(gateRows).toEqual([
        ["Main Gate", true],
        ["gate-m-1", false],
        ["gate-m-2", true],
        ["gate-m-10", true],
        ["North Gate", true],
        ["gate-n-1", true],
      ]);
      expect(await axeViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it("shows records posted while it is open within two refreshes, without a reload", async () => {
    const browser = await openDashboard(sw.url, event, TOKENS.reader);
    const { page } = browser;
    try {
      await figuresShown(page);
      const before = await admitted(page);
      await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));
      // The curve's table of buckets: each row marked, to see which are still the same element.
      const marked = () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLElement>("#curve-figures tbody tr"), (row) =>
            (row as HTMLElement & { seen?: boolean }).seen ? row.dataset.t : null,
          ),
        );
      await page.evaluate(() => {
        for (const row of document.querySelectorAll("#curve-figures tbody tr"))
          Object.assign(row, { seen: true });
      });
      const rowsBefore = (await marked()).length;
      expect(rowsBefore).toBeGreaterThan(0);
      const now = Date.now();
      for (const ticket of ["T-late-1", "T-late-2", "T-late-3"]) {
        const res = await t.call("POST", "/scans", {
          as: "ingest",
          body: {
            ticket_id: ticket,
            event_id: event,
            scanner_id: "gate-m-10",
            location: "Main Gate",
            scan_timestamp: new Date(now).toISOString(),
          },
        });
        expect(res.status).toBe(201);
      }
      await expect.poll(() => admitted(page), { timeout: TWO_REFRESHES }).toBe(before + 3);
      expect(await page.evaluate(() => "stillTheSamePage" in window)).toBe(true);
      // New scans change a bucket or add one; the rows of the others are left as they were
      // (a screen reader partway down the table keeps its place).
      expect((await marked()).filter((t) => t !== null).length).toBeGreaterThanOrEqual(rowsBefore - 1);
      expect(browser.problems).toEqual([]);
      // A ticket in twice: a screen reader is told of the new alert, which the page had not.
      const again = await t.call("POST", "/scans", {
        as: "ingest",
        body: {
          ticket_id: "T-late-1",
          event_id: event,
          scanner_id: "gate-n-1",
          location: "North Gate",
          scan_timestamp: new Date(now + 1000).toISOString(),
        },
      });
      expect(again.status).toBe(201);
      await expect
        .poll(() => page.locator("#announce").textContent(), { timeout: TWO_REFRESHES })
        .toMatch(/^New alert: 1 double entry( \(1 high\))?\./);
    } finally {
      await browser.close();
    }
  });

  it("says plainly when the server cannot be reached, keeps the last figures, and recovers", async () => {
    const browser = await openDashboard(sw.url, event, TOKENS.reader);
    const { page } = browser;
    try {
      await figuresShown(page);
      const figures = await headline(page);
      const notice = page.locator("#offline");
      await sw.off();
      await expect.poll(() => notice.isVisible(), { timeout: TWO_REFRESHES }).toBe(true);
      expect(await notice.textContent()).toMatch(
        /^Cannot reach the server \(no answer\) since .+ Showing the figures of /,
      );
      expect(await page.locator("#status").textContent()).toBe("Offline");
      expect(await headline(page)).toEqual(figures);
      expect(await axeViolations(page)).toEqual([]);
      // Scrolled down to the gates on a phone, a supervisor still sees the notice, at the
      // top of the screen, and the figures dimmed.
      await page.setViewportSize({ width: 375, height: 640 });
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await expect.poll(async () => (await notice.boundingBox())?.y).toBe(0);
      expect(await page.evaluate(() => document.body.classList.contains("stale"))).toBe(true);
      await sw.on();
      await expect.poll(() => notice.isVisible(), { timeout: TWO_REFRESHES }).toBe(false);
      expect(await page.locator("#status").textContent()).toMatch(/^Updated /);
      expect(await page.evaluate(() => document.body.classList.contains("stale"))).toBe(false);
      // Said once, to a screen reader, as the loss was.
      await expect.poll(() => page.locator("#announce").textContent()).toBe("Connected to the server again.");
      expect(await headline(page)).toEqual(figures);
      // Only the polls while it was away failed (and the console says so).
      expect(browser.problems.filter((p) => !p.endsWith("net::ERR_CONNECTION_REFUSED"))).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("opens again when reloaded while the server is away, with the figures it last had, said to be of then", async () => {
    const browser = await openDashboard(sw.url, event, TOKENS.reader);
    const { page } = browser;
    try {
      await figuresShown(page);
      // Its service worker keeps the page and its files once it runs the page.
      await expect
        .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 })
        .toBe(true);
      const figures = await headline(page);
      const gates = await gatesTable(page);
      await sw.off();
      // A supervisor's reload on a network that just dropped: the page, not the browser's
      // error page, and the figures as they were, before any answer.
      await page.reload();
      expect(await headline(page)).toEqual(figures);
      expect(await gatesTable(page)).toEqual(gates);
      // Not said to be current before the server says so.
      expect(await page.locator("#status").textContent()).not.toMatch(/every 5 s/);
      const notice = page.locator("#offline");
      await expect.poll(() => notice.isVisible(), { timeout: TWO_REFRESHES }).toBe(true);
      expect(await notice.textContent()).toMatch(
        /^Cannot reach the server \(no answer\) since .+ Showing the figures of .+, as they were then\./,
      );
      expect(await page.locator("#status").textContent()).toBe("Offline");
      expect(await page.evaluate(() => document.body.classList.contains("stale"))).toBe(true);
      // A phone handed over at the gate, still offline: its token can be forgotten.
      expect(await page.getByRole("button", { name: "Forget token" }).isVisible()).toBe(true);
      await sw.on();
      await expect.poll(() => notice.isVisible(), { timeout: TWO_REFRESHES }).toBe(false);
      expect(await page.locator("#status").textContent()).toMatch(/^Updated /);
      expect(await headline(page)).toEqual(figures);
      // Figures kept by another version of the page, in another shape: dropped, not a page
      // stuck on "Loading…".
      await page.evaluate(
        (key) =>
          sessionStorage.setItem(
            key,
            JSON.stringify({
              at: 0,
              now: 0,
              event: new URLSearchParams(location.search).get("event_id"),
              figures: {},
              events: null,
            }),
          ),
        HELD_KEY,
      );
      await page.reload();
      await figuresShown(page);
      await expect.poll(() => page.locator("#status").textContent()).toMatch(/^Updated /);
      expect(browser.problems.filter((p) => !p.endsWith("net::ERR_CONNECTION_REFUSED"))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it("downloads the event's records as the API's CSV files, and saves nothing when the server is out of reach", async () => {
    const browser = await openDashboard(sw.url, event, TOKENS.reader);
    const { page } = browser;
    const status = page.locator("#download-status");
    try {
      await figuresShown(page);
      for (const [kind, label] of [
        ["scans", "Scans"],
        ["transfers", "Transfers"],
        ["invalid-attempts", "Invalid attempts"],
      ] as const) {
        const button = page.getByRole("button", { name: label, exact: true });
        const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
        const saved = readFileSync(await download.path()).toString("utf8");
        const api = await (
          await t.call("GET", `/export/${kind}?event_id=${event}&format=csv`, { as: "reader" })
        ).text();
        // The API's file, byte for byte, after a byte-order mark (Excel reads UTF-8 then).
        expect(saved).toBe(`\ufeff${api}`);
        expect(api.split("\n").length).toBeGreaterThan(2);
        expect(download.suggestedFilename()).toBe(`${kind}-${event}.csv`);
        await expect
          .poll(() => status.textContent())
          .toMatch(new RegExp(`^Saved ${kind}-${event}\\.csv \\(`));
        // The keyboard stays on the button it pressed.
        expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
      }
      await sw.off();
      let downloads = 0;
      page.on("download", () => downloads++);
      await page.getByRole("button", { name: "Scans", exact: true }).click();
      await expect
        .poll(() => status.textContent())
        .toBe(`The scans of ${event} were not saved: the server could not be reached. Try again.`);
      expect(downloads).toBe(0);
      expect(browser.foreign).toEqual([]);
    } finally {
      await sw.on();
      await browser.close();
    }
  });

  it("says a signed token will soon expire, while its figures still show, and takes a new one then", async () => {
    const soon = await issueReaderToken([event], SIGNING_KEY, { ttlSeconds: 600 });
    const browser = await openDashboard(sw.url, event, soon);
    const { page } = browser;
    try {
      await figuresShown(page);
      await expect
        .poll(() => page.locator("#status").textContent())
        .toMatch(/^Updated .+ · token expires in (9|10) min$/);
      // A new one asked for while the figures show; the supervisor may go back to them.
      const renew = page.getByRole("button", { name: "New token" });
      const dialog = page.getByRole("dialog", { name: "Reader token" });
      await renew.click();
      await dialog.getByRole("button", { name: "Keep the current token" }).click();
      expect(await dialog.isVisible()).toBe(false);
      expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(soon);
      const fresh = await issueReaderToken([event], SIGNING_KEY);
      await renew.click();
      await dialog.getByLabel("Token").fill(fresh);
      await dialog.getByRole("button", { name: "Show the figures" }).click();
      await expect.poll(() => page.locator("#status").textContent()).toMatch(/^Updated [^·]+· every 5 s$/);
      expect(await renew.isVisible()).toBe(false);
      expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(fresh);
      expect(await axeViolations(page)).toEqual([]);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
    // A token of the usual days says nothing of it.
    const later = await openDashboard(sw.url, event, await issueReaderToken([event], SIGNING_KEY));
    try {
      await figuresShown(later.page);
      expect(await later.page.locator("#status").textContent()).not.toContain("token");
    } finally {
      await later.close();
    }
  });

  it("takes a page that is not the API's (a Wi-Fi sign-in page) or a 429 for the server out of reach", async () => {
    const browser = await openDashboard(sw.url, event, TOKENS.reader);
    const { page } = browser;
    try {
      await figuresShown(page);
      const figures = await headline(page);
      const notice = page.locator("#offline");
      const answer = (status: number, headers: Record<string, string>) => (r: Route) =>
        r.fulfill({ status, headers, body: "<html><body>Sign in to Venue Wi-Fi</body></html>" });
      await page.route("**/stats/attendance*", answer(200, { "Content-Type": "text/html" }));
      await expect
        .poll(() => notice.textContent(), { timeout: TWO_REFRESHES })
        .toContain("a page that is not this server's answered 200");
      expect(await page.locator("#problem").isVisible()).toBe(false);
      expect(await headline(page)).toEqual(figures);
      await page.unroute("**/stats/attendance*");
      await page.route(
        "**/stats/attendance*",
        answer(429, { "Content-Type": "text/html", "Retry-After": "7" }),
      );
      await expect
        .poll(() => notice.textContent(), { timeout: TWO_REFRESHES })
        .toContain("too many requests");
      // Asked to wait 7 s: the next try is that far off, not the usual 5 s.
      expect(Number((await notice.textContent())?.match(/Trying again in (\d+) s/)?.[1])).toBeGreaterThan(5);
      await page.unroute("**/stats/attendance*");
      await expect.poll(() => notice.isVisible(), { timeout: TWO_REFRESHES }).toBe(false);
      expect(await page.locator("#status").textContent()).toMatch(/^Updated /);
    } finally {
      await browser.close();
    }
  });

  it("keeps the figures as they were while cut off, says how old they are, and shows no other event's", async () => {
    // The page's own clock, so that minutes pass while the server is away.
    const browser = await openDashboard(sw.url, event, TOKENS.reader, { clock: true });
    const { page } = browser;
    try {
      await figuresShown(page);
      const before = await gatesTable(page);
      const notice = page.locator("#offline");
      await sw.off();
      await expect.poll(() => notice.isVisible(), { timeout: TWO_REFRESHES }).toBe(true);
      const alert = notice.getByRole("alert");
      const said = await alert.textContent();
      await page.clock.fastForward("03:00");
      await expect
        .poll(() => notice.textContent())
        .toMatch(
          /Showing the figures of .+, as they were then\. They are 3 min old\. Trying again in \d+ s\.Try now$/,
        );
      // What a screen reader is told did not change with the clock: it hears the loss once.
      expect(await alert.textContent()).toBe(said);
      // As they were drawn: no scanner turned quiet because the page lost the server.
      expect(await gatesTable(page)).toEqual(before);
      expect(await page.locator("#status").textContent()).toBe("Offline");
      // Gone to the list of events meanwhile: this event's figures are not shown for it...
      await page.locator("#event-picker").selectOption("");
      expect(await page.locator("#event").isVisible()).toBe(false);
      expect(await notice.textContent()).not.toContain("Showing the figures");
      // ...and back to the event, its figures are, as they were.
      await page.goBack();
      await expect.poll(() => page.locator("#event").isVisible()).toBe(true);
      expect(await gatesTable(page)).toEqual(before);
      expect(await notice.textContent()).toContain("Showing the figures");
      // The server back, a tap asks at once, whatever the backoff's wait.
      await sw.on();
      await notice.getByRole("button", { name: "Try now" }).click();
      await expect.poll(() => notice.isVisible(), { timeout: 5_000 }).toBe(false);
      expect(await page.locator("#status").textContent()).toMatch(/^Updated /);
      // The button it pressed gone, the keyboard is at the figures, not the top of the page.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
    } finally {
      await browser.close();
    }
  }, 120_000); // its polls wait up to two refreshes each: slow on shared cores
});

describe("the dashboard's first load", () => {
  it("is the page and the two files it names, at most 100 KiB gzip in all", () => {
    const page = readFileSync(join(PUBLIC_DIR, "dashboard.html"));
    const assets = [...page.toString("utf8").matchAll(/(?:href|src)="(dashboard\/assets\/[^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(assets).toEqual([
      expect.stringMatching(/^dashboard\/assets\/style-\w+\.css$/),
      expect.stringMatching(/^dashboard\/assets\/app-\w+\.js$/),
    ]);
    const files = [page, ...assets.map((a) => readFileSync(join(PUBLIC_DIR, String(a))))];
    const gzip = files.reduce((n, f) => n + gzipSync(f, { level: 9 }).length, 0);
    expect(gzip).toBeLessThanOrEqual(100 * 1024);
  });
});

describe.runIf(browserTestsRun)("the dashboard on Node in open mode (no tokens, loopback)", () => {
  let server: TestServer;
  const event = `dash-open-${Date.now()}`;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
    await seedDoors({ call: (m, p, o) => server.call(m, p, o?.body), rawCounts: server.rawCounts }, event);
  }, 60_000);
  afterAll(() => server?.stop());

  it("needs no token, lists the events, and opens one from the list", async () => {
    const browser = await offlineBrowser(new URL(server.url).origin);
    const { page } = browser;
    try {
      await page.goto(`${server.url}/dashboard`);
      const link = page.getByRole("link", { name: new RegExp(event) });
      // Opened in this page, not by loading another (which, the network gone, would leave
      // the browser's error page): what the page set before is still there after.
      await page.evaluate(() => Object.assign(window, { keptAcrossTheClick: true }));
      await link.click();
      await figuresShown(page);
      expect(await page.evaluate(() => "keptAcrossTheClick" in window)).toBe(true);
      expect(new URL(page.url()).searchParams.get("event_id")).toBe(event);
      expect(await page.locator("#event-picker").inputValue()).toBe(event);
      expect(await admitted(page)).toBe(12);
      // Back: the list again.
      await page.goBack();
      await expect.poll(() => page.locator("#choose").isVisible()).toBe(true);
      expect(await page.locator("#event").isVisible()).toBe(false);
      expect(await page.getByRole("dialog").isVisible()).toBe(false);
      expect(browser.problems).toEqual([]);
      expect(browser.foreign).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe.runIf(browserTestsRun)("the dashboard on Node, for a person on a phone or a keyboard", () => {
  let server: TestServer;
  const [first, second] = [`dash-keys-a-${Date.now()}`, `dash-keys-b-${Date.now()}`];
  const long = `${first}-long`;
  const gate = "North-East Accessible Entrance (Wheelchair and Pushchair Access), Level 2 Concourse Bridge";
  const scanner = `handheld-${"x".repeat(80)}-07`;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
    const api = { call: server.call, rawCounts: server.rawCounts };
    for (const e of [first, second])
      await seedDoors({ ...api, call: (m, p, o) => server.call(m, p, o?.body) }, e);
    const res = await server.call("POST", "/scans", {
      ticket_id: "T-long",
      event_id: long,
      scanner_id: scanner,
      location: gate,
      is_valid: true,
    });
    expect(res.status).toBe(201);
  }, 60_000);
  afterAll(() => server?.stop());

  it("keeps each gate's figures in view beside a long gate or scanner name, on a phone and a desk", async () => {
    const browser = await offlineBrowser(new URL(server.url).origin);
    const { page } = browser;
    try {
      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${server.url}/dashboard?event_id=${encodeURIComponent(long)}`);
      await figuresShown(page);
      await expect.poll(async () => (await gatesTable(page)).map((r) => r.name)).toEqual([gate, scanner]);
      // The Entries figure of every row, on screen without scrolling sideways.
      const entriesRight = () =>
        page
          .locator("#gates tbody tr")
          .evaluateAll((trs) =>
            trs.map((tr) => (tr.querySelector("td") as HTMLElement).getBoundingClientRect().right),
          );
      for (const right of await entriesRight()) expect(right).toBeLessThanOrEqual(375);
      // At a desk, and on a phone turned sideways, the whole table fits its panel (Pending too).
      for (const width of [1280, 740]) {
        await page.setViewportSize({ width, height: 600 });
        const overflow = await page
          .locator("#gates")
          .evaluate(
            (t) =>
              t.getBoundingClientRect().right -
              (t.parentElement as HTMLElement).getBoundingClientRect().right,
          );
        expect(overflow, `the gates table overflows its panel at ${width} px`).toBeLessThanOrEqual(0);
      }
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("takes an event from the picker's arrow keys on Enter, not at each step, and keeps the keyboard's place", async () => {
    const browser = await offlineBrowser(new URL(server.url).origin);
    const { page } = browser;
    const shown = () => new URL(page.url()).searchParams.get("event_id");
    try {
      // From the list with the keyboard: the list goes, and the focus with it to the figures.
      await page.goto(`${server.url}/dashboard`);
      await page.getByRole("link", { name: new RegExp(`^${first}(?!-long)`) }).focus();
      await page.keyboard.press("Enter");
      await figuresShown(page);
      expect(shown()).toBe(first);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
      expect(await axeViolations(page)).toEqual([]);

      // Stepping through the closed picker loads nothing; Enter takes the one stepped to.
      const picker = page.locator("#event-picker");
      await picker.focus();
      const options = await picker
        .locator("option")
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      const next = options[options.indexOf(first) + 1] ?? options[options.indexOf(first) - 1];
      await page.keyboard.press(options.indexOf(first) + 1 < options.length ? "ArrowDown" : "ArrowUp");
      expect(await picker.inputValue()).toBe(next);
      await page.waitForTimeout(1000);
      expect(shown()).toBe(first);
      await page.keyboard.press("Enter");
      await expect.poll(shown).toBe(next);
      // A choice made in the opened list (a pointer, a phone's wheel) is taken at once.
      await picker.selectOption(first);
      await expect.poll(shown).toBe(first);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("keeps the keyboard's place in the list of events across refreshes, and Back returns to the last event", async () => {
    const browser = await offlineBrowser(new URL(server.url).origin);
    const { page } = browser;
    try {
      await page.goto(`${server.url}/dashboard`);
      const link = page.getByRole("link", { name: new RegExp(second) });
      await link.focus();
      // The list is asked for again on every refresh (5 s) while no event is chosen.
      const polls: string[] = [];
      page.on("response", (r) => {
        if (new URL(r.url()).pathname === "/stats") polls.push(r.url());
      });
      await expect.poll(() => polls.length, { timeout: TWO_REFRESHES }).toBeGreaterThanOrEqual(1);
      await page.waitForTimeout(200);
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement;
          return el?.tagName === "A" ? el.textContent : `<${el?.tagName}>`;
        });
      expect(await focused()).toContain(second);

      // From one event to another with the picker; Back shows the first again.
      await page.goto(`${server.url}/dashboard?event_id=${first}`);
      await figuresShown(page);
      await page.locator("#event-picker").selectOption(second);
      await expect.poll(() => new URL(page.url()).searchParams.get("event_id")).toBe(second);
      await page.goBack();
      await expect.poll(() => new URL(page.url()).searchParams.get("event_id")).toBe(first);
      await expect.poll(() => page.locator("#event-picker").inputValue()).toBe(first);
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
