// Runs a server in a child process (`node --import tsx`, as `npx tsx` does without the npm
// wrapper), so the load generator in the bench process does not share its event loop.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVE = fileURLToPath(new URL("./serve.ts", import.meta.url));
const BARE = fileURLToPath(new URL("./bare-server.ts", import.meta.url));

export interface ChildServer {
  url: string;
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

export async function startScript(
  script: string,
  name: string,
  env: Record<string, string>,
): Promise<ChildServer> {
  // BENCH_CPU_PROF_DIR=dir: each child writes a V8 CPU profile there when it exits
  // (--cpu-prof is not allowed in NODE_OPTIONS).
  const prof = process.env.BENCH_CPU_PROF_DIR;
  const profile = prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await waitForUrl(child, name, 60_000);
  return {
    url,
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

/** The real server on SQLite (`sqlitePath`) or Postgres (`databaseUrl`), open on loopback. */
export function startAppServer(db: { sqlitePath: string } | { databaseUrl: string }): Promise<ChildServer> {
  const isPg = "databaseUrl" in db;
  return startScript(SERVE, isPg ? "server (postgres)" : "server (sqlite)", {
    DATABASE_URL: isPg ? db.databaseUrl : "",
    SQLITE_PATH: isPg ? "" : db.sqlitePath,
    API_TOKENS: "",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "warn",
  });
}

/** The bare Hono reference server. */
export function startBareServer(): Promise<ChildServer> {
  return startScript(BARE, "bare server", {});
}
