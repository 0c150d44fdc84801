// Wrangler as a child process (its bin, without the npx wrapper): one-shot commands (local
// D1 migrations) and `wrangler dev --local`, i.e. the Worker of wrangler.toml in workerd
// with local D1. `wrangler dev` starts workerd processes of its own, so it runs in a
// process group of its own and the whole group is stopped with it.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import type { Api } from "../api.js";
import { freePort } from "../ports.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../../../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const QUIET = { WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" };

/** Runs `wrangler ...args` in the project root to completion. */
export function wrangler(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...QUIET },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (c: Buffer) => {
      output = (output + c.toString("utf8")).slice(-8000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`wrangler ${args.slice(0, 3).join(" ")}: exit ${code}\n${output}`)),
    );
  });
}

function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
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
      signal("SIGKILL"); // workerd may outlive wrangler for a moment
      resolve();
    });
    signal("SIGTERM");
  });
}

export interface WranglerDev {
  url: string;
  /** wrangler's process id, also its process group's (workerd runs in that group). */
  pid: number;
  /** The last of what it printed (for a failure's message). */
  output(): string;
  stop(): Promise<void>;
}

interface DevOptions {
  persistTo: string;
  vars: Record<string, string>;
  /** A wrangler.toml environment instead of the top level (the bench's "dev"). */
  env?: string;
  /** Another config than the project's wrangler.toml (the bench's bare Worker). */
  config?: string;
  timeoutMs?: number;
}

/** What workerd and wrangler say when a port they were given was taken meanwhile. */
const PORT_TAKEN = /Address already in use/;
const PORT_ATTEMPTS = 3;

/**
 * `wrangler dev --local` of the production config (the top level of wrangler.toml, unless
 * `env` names another), with `vars` given as --var (vars and secrets alike); resolves once
 * it prints "Ready on <url>". The bench runs it too (bench/support/wrangler.ts).
 *
 * Its ports are found free a moment before wrangler binds them, and the test files run in
 * parallel, so another server may take one in between (seen in CI: workerd's "Address
 * already in use" on the inspector port). Such a start is tried again on fresh ports.
 */
export async function startWranglerDev(opts: DevOptions): Promise<WranglerDev> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= PORT_ATTEMPTS || !PORT_TAKEN.test(String(err))) throw err;
      console.warn(
        `wrangler dev: a port was taken before it bound it (attempt ${attempt}); trying fresh ports`,
      );
    }
  }
}

async function startOnce(opts: DevOptions): Promise<WranglerDev> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const args = [
    ...["dev", "--local", "--persist-to", opts.persistTo, "--ip", "127.0.0.1"],
    ...(opts.env ? ["--env", opts.env] : []),
    ...(opts.config ? ["--config", opts.config] : []),
    ...["--port", String(port), "--inspector-port", String(inspectorPort)],
    "--show-interactive-dev-session=false",
    ...Object.entries(opts.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const child = spawn(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...QUIET },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`wrangler dev: not ready within ${opts.timeoutMs ?? 60_000} ms\n${output}`)),
      opts.timeoutMs ?? 60_000,
    );
    const collect = (c: Buffer) => {
      output = (output + c.toString("utf8")).slice(-16_000);
      const url = /Ready on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`wrangler dev exited with ${code}\n${output}`));
    });
  });
  try {
    const url = await ready;
    return {
      url,
      pid: child.pid as number,
      output: () => output,
      stop: () => stopGroup(child),
    };
  } catch (err) {
    await stopGroup(child);
    throw err;
  }
}

/** What wrangler dev's own proxy answers (503, text/plain) when it lost a request on its way to the Worker. */
const LOST_BY_DEV_PROXY = "Your worker restarted mid-request.";

/**
 * `api` with one retry of a request that wrangler dev's proxy lost: its ProxyWorker answers
 * a non-GET it could not hand to the Worker with a 503 of its own in plain text (the
 * Worker's 503s are JSON envelopes), and says to send it again. Seen once in CI on a 1 MiB
 * POST /sync (4.86's ProxyWorker answers so when its fetch of the Worker fails while it
 * holds no current Worker address, i.e. around a reload). A record with a uuid stores once
 * however often it is sent; one without, if the Worker had stored it before the loss,
 * would count twice and fail the test's exactness checks, never pass them wrongly.
 * Anything else, including a second loss, is returned as it is. Each retry is logged with
 * the tail of wrangler's output, for what it said about the Worker at the time.
 */
export function retryingDevProxyLosses(api: Api, dev: WranglerDev): Api {
  return {
    ...api,
    async call(method, path, opts) {
      const res = await api.call(method, path, opts);
      if (res.status !== 503 || !(res.headers.get("Content-Type") ?? "").startsWith("text/plain")) return res;
      const text = await res.clone().text();
      if (!text.startsWith(LOST_BY_DEV_PROXY)) return res;
      console.warn(
        `wrangler dev lost ${method} ${path}; sending it again. wrangler said:\n${dev.output().slice(-2000)}`,
      );
      return api.call(method, path, opts);
    },
  };
}
