// SIGTERM on the Node server as `npm start` runs it (node dist/server.js): it stops
// accepting, lets requests in flight finish within SHUTDOWN_GRACE_MS, closes the store
// and exits 0; what it answered is stored, and nothing is half-written.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createAnalytics } from "../../src/analytics.js";
import { createApp, sharedServices } from "../../src/app.js";
import { silentLogger } from "../../src/observability/logger.js";
import { noMetrics } from "../../src/observability/metrics.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import { postHead, rawConnect, refused, sleep } from "./raw-http.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  port: number;
  dbPath: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "veritix-shutdown-"));
  dirs.push(dir);
  const port = await freePort();
  const dbPath = join(dir, "shutdown.db");
  const child = spawn(process.execPath, ["dist/server.js"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      SQLITE_PATH: dbPath,
      DATABASE_URL: "",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  for (let i = 0; ; i++) {
    if (i > 200) throw new Error(`server did not start: ${err}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      await sleep(50);
    }
  }
  return { child, port, dbPath, exit, stderr: () => err };
}

const scansOf = (path: string, eventId: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT count(*) AS n FROM ticket_scans WHERE event_id = ?").get(eventId) as {
      n: number;
    };
  } finally {
    db.close();
  }
};

describe("SIGTERM", () => {
  it("stops accepting, lets the request in flight finish and be stored, then exits 0", async () => {
    const s = await start();
    const body = JSON.stringify({ ticket_id: "t-drain", event_id: "drain" });
    const inFlight = await rawConnect(s.port);
    inFlight.write(postHead("/scans", body.length) + body.slice(0, 10));
    await sleep(100); // the server is reading the body

    s.child.kill("SIGTERM");
    await sleep(300);
    expect(await refused(s.port)).toBe(true);
    expect(s.child.exitCode).toBeNull(); // still draining: a request is in flight

    inFlight.write(body.slice(10));
    const answer = await inFlight.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(scansOf(s.dbPath, "drain").n).toBe(1);
  });

  it("closes what is still in flight after SHUTDOWN_GRACE_MS and exits 0, storing nothing half-sent", async () => {
    const s = await start({ SHUTDOWN_GRACE_MS: "800" });
    const body = JSON.stringify({ ticket_id: "t-stuck", event_id: "stuck" });
    const stuck = await rawConnect(s.port);
    stuck.write(postHead("/scans", body.length) + body.slice(0, 5)); // and never the rest
    await sleep(100);
    s.child.kill("SIGTERM");
    await sleep(200);
    expect(s.child.exitCode).toBeNull(); // waiting for the request in flight
    expect(await s.exit).toEqual({ code: 0, signal: null });
    await stuck.closed;
    expect(scansOf(s.dbPath, "stuck").n).toBe(0);
  });
});

describe("draining", () => {
  it("answers GET /health with 503 and every answer with Connection: close", async () => {
    const store = await betterSqliteStore({ path: ":memory:" });
    let draining = false;
    const app = createApp({
      services: sharedServices(createAnalytics(store)),
      auth: { tokens: [], openFor: () => true },
      logger: silentLogger,
      metrics: noMetrics,
      draining: () => draining,
    });
    try {
      expect((await app.request("/health")).status).toBe(200);
      draining = true;
      const health = await app.request("/health");
      expect(health.status).toBe(503);
      expect(health.headers.get("Connection")).toBe("close");
      expect(await health.json()).toMatchObject({
        error: "unavailable",
        status: "unavailable",
        database: "sqlite",
      });
      const stats = await app.request("/stats?event_id=e");
      expect(stats.status).toBe(200);
      expect(stats.headers.get("Connection")).toBe("close");
    } finally {
      await store.close();
    }
  });
});
