// Runs a server in a child process, so the load generator in the bench process does not
// share its event loop: the real server as `npm start` runs it (`node dist/server.js`,
// built by `npm run build`), the bare reference through tsx.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../test/support/ports.js";
import { serverAuthEnv } from "./auth.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVER = fileURLToPath(new URL("../../dist/server.js", import.meta.url));
const BARE = fileURLToPath(new URL("./bare-server.ts", import.meta.url));

export interface ChildServer {
  url: string;
  /** The child's process id, where it is one (its memory and CPU time, in /proc). */
  pid?: number | undefined;
  stop(): Promise<void>;
}

function waitForUrl(child: ChildProcess, name: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(
      () => fail(new Error(`${name}: no "listening" line within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onExit = (code: number | null) =>
      fail(new Error(`${name}: exited with code ${code} before listening`));
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf("\n");
        if (!line.startsWith("{")) continue;
        try {
          const parsed = JSON.parse(line) as { msg?: unknown; url?: unknown };
          if (parsed.msg === "listening" && typeof parsed.url === "string") return done(parsed.url);
        } catch {
          // not a JSON line: ignore
        }
      }
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout?.off("data", onData);
      // Keep draining stdout so the child never blocks on a full pipe.
      child.stdout?.resume();
    };
    const done = (url: string) => {
      cleanup();
      resolve(url);
    };
    const fail = (err: Error) => {
      cleanup();
      child.kill("SIGKILL");
      reject(err);
    };
    child.on("exit", onExit);
    child.stdout?.on("data", onData);
  });
}

/** Polls GET `url`/health until it answers 200 (the server's own "listening" line is an info log). */
async function waitForHealth(child: ChildProcess, name: string, url: string, timeoutMs: number) {
  child.stdout?.resume(); // its request log: drained, never read
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name}: exited with code ${child.exitCode} before listening`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name}: no answer at ${url}/health within ${timeoutMs} ms`);
    }
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return url;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A server script in a child process; `url`: where it will listen (else it prints a "listening" line). */
export async function startScript(
  script: string,
  name: string,
  env: Record<string, string>,
  url?: string,
): Promise<ChildServer> {
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  // BENCH_CPU_PROF_DIR=dir: each child writes a V8 CPU profile there when it exits
  // (--cpu-prof is not allowed in NODE_OPTIONS).
  const prof = process.env.BENCH_CPU_PROF_DIR;
  const profile = prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [];
  const child = spawn(process.execPath, [...profile, ...loader, script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = url ? await waitForHealth(child, name, url, 60_000) : await waitForUrl(child, name, 60_000);
  return {
    url: ready,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** The real server on SQLite (`sqlitePath`) or Postgres (`databaseUrl`), on loopback, with tokens. */
export async function startAppServer(
  db: { sqlitePath: string } | { databaseUrl: string },
): Promise<ChildServer> {
  const isPg = "databaseUrl" in db;
  const port = await freePort();
  const env = {
    DATABASE_URL: isPg ? db.databaseUrl : "",
    SQLITE_PATH: isPg ? "" : db.sqlitePath,
    HOST: "127.0.0.1",
    PORT: String(port),
    ...serverAuthEnv(),
  };
  return startScript(SERVER, isPg ? "server (postgres)" : "server (sqlite)", env, `http://127.0.0.1:${port}`);
}

/** The bare Hono reference server; `statsJson`: what its GET /bare/stats answers. */
export function startBareServer(statsJson?: string): Promise<ChildServer> {
  return startScript(BARE, "bare server", statsJson ? { BARE_STATS_JSON: statsJson } : {});
}
