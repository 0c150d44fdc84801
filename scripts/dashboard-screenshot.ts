// The README's picture of the dashboard: the demo event (`npm run demo`) on a fresh SQLite
// file, served by the compiled server as `npm start` runs it (open: loopback, no tokens),
// in headless Chromium at 1280 and 375 px. Run after `npm run build`:
//   npx tsx scripts/dashboard-screenshot.ts   -> src/dashboard/screenshot-{1280,375}.png
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { offlineBrowser } from "../test/support/browser.js";
import { freePort } from "../test/support/ports.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "veritix-shot-"));
const port = await freePort();
const env: NodeJS.ProcessEnv = {
  ...process.env,
  SQLITE_PATH: join(dir, "demo.db"),
  PORT: String(port),
  API_TOKENS: "",
};
delete env.DATABASE_URL;

const demo = spawnSync(process.execPath, ["dist/cli/demo.js"], { cwd: root, env, encoding: "utf8" });
if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
const server = spawn(process.execPath, ["dist/server.js"], { cwd: root, env, stdio: "ignore" });
const url = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    if ((await fetch(`${url}/health`).catch(() => null))?.ok) break;
    if (i > 100) throw new Error("the server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await offlineBrowser(url);
  try {
    for (const width of [1280, 375]) {
      await browser.page.setViewportSize({ width, height: 900 });
      await browser.page.goto(`${url}/dashboard?event_id=demo-2026-arena`);
      await browser.page.locator("#fig-admitted", { hasText: /\d/ }).waitFor();
      await browser.page.waitForTimeout(500);
      const path = join(root, "src", "dashboard", `screenshot-${width}.png`);
      await browser.page.screenshot({ path, fullPage: true });
      console.log(`wrote ${path}`);
    }
    if (browser.problems.length) throw new Error(`the page complained: ${browser.problems.join("; ")}`);
  } finally {
    await browser.close();
  }
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
