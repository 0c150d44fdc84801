// Wrangler as a child process (node_modules/wrangler/bin/wrangler.js, without the npx
// wrapper): one-shot commands (deploy --dry-run, d1 migrations apply, d1 execute) and
// `wrangler dev` in local mode, i.e. the Worker in workerd with local D1. `wrangler dev`
// starts two workerd processes of its own, so it runs in a process group of its own and
// the whole group is stopped with it.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { serverAuthEnv } from "./auth.js";
import type { ChildServer } from "./child-server.js";
import { ROOT } from "./child-server.js";
import { freePort } from "./ports.js";

const WRANGLER = fileURLToPath(new URL("../../node_modules/wrangler/bin/wrangler.js", import.meta.url));

const quiet = { WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" };

/** Runs `wrangler ...args` in the project root to completion; resolves to its stdout. */
export function wrangler(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...quiet },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve(out);
      else
        reject(
          new Error(`wrangler ${args.slice(0, 3).join(" ")}: exit ${code}\n${err.trim() || out.trim()}`),
        );
    });
  });
}

export interface WranglerDevOptions {
  /** wrangler.toml environment ("dev": local D1, AUTH_DISABLED for loopback). */
  env: string;
  /** Local state (D1, cache) directory: --persist-to. */
  persistTo: string;
  /** Extra vars (--var KEY:VALUE), over the environment's own. */
  vars: Record<string, string>;
}

/** The auth the Worker under bench runs with (BENCH_OPEN=1: AUTH_DISABLED, as before). */
function workerAuthVars(): Record<string, string> {
  const env = serverAuthEnv();
  return env.API_TOKENS ? { ...env, AUTH_DISABLED: "false" } : { LOG_LEVEL: env.LOG_LEVEL as string };
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-pid, s);
      } catch {
        // the group is gone already
      }
    };
    const force = setTimeout(() => signal("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      // workerd may outlive wrangler for a moment: make sure the group is gone.
      signal("SIGKILL");
      resolve();
    });
    signal("SIGTERM");
  });
}

/** `wrangler dev --local` on loopback; resolves once it says "Ready on <url>". */
export async function startWranglerDev(opts: WranglerDevOptions): Promise<ChildServer> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const args = [
    WRANGLER,
    "dev",
    "--local",
    "--env",
    opts.env,
    "--persist-to",
    opts.persistTo,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--log-level",
    "warn",
    "--show-interactive-dev-session=false",
    // As users run it: tokens required (the dev config's AUTH_DISABLED overridden).
    ...Object.entries({ ...workerAuthVars(), ...opts.vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...quiet },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const collect = (c: Buffer) => {
    output = (output + c.toString("utf8")).slice(-8000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  try {
    await waitUntilAnswering(child, url, 60_000, () => output);
  } catch (err) {
    await stopGroup(child);
    throw err;
  }
  return { url, stop: () => stopGroup(child) };
}

/**
 * Polls `url` until the Worker answers (wrangler's "Ready" line is muted at --log-level
 * warn), on a path no route has: a 404 that touches no database.
 */
async function waitUntilAnswering(
  child: ChildProcess,
  url: string,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/__bench_ready`);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`wrangler dev: no answer at ${url} within ${timeoutMs} ms:\n${output()}`);
}
