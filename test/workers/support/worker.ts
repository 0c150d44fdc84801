// Calls the Worker's own handlers (src/worker.ts) inside workerd, on D1 or on Postgres
// through the Neon driver, with the env of wrangler.toml plus the test's overrides.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker, { type WorkerEnv } from "../../../src/worker.js";
import type { NeonDatabase } from "./neon.js";
import { TOKENS } from "./tokens.js";

export interface CallOptions {
  /** A role's token (default admin), any other string as the token, or null for none. */
  token?: keyof typeof TOKENS | (string & {}) | null;
  headers?: Record<string, string>;
  /** The request's origin; loopback matters to AUTH_DISABLED. */
  origin?: string;
}

export interface WorkerUnderTest {
  /** The Worker's env: wrangler.toml's, the database's and the test's own vars. */
  env(): WorkerEnv;
  call(method: string, path: string, body?: unknown, opts?: CallOptions): Promise<Response>;
  /** Runs the cron job at `at` and waits for everything it left to ctx.waitUntil. */
  scheduled(at?: Date): Promise<void>;
}

export interface WorkerOptions {
  /** Postgres through the Neon driver; D1 (the DB binding) without. */
  postgres?: NeonDatabase;
  /** Counts this Worker's database traffic apart at the proxy (ws-proxy.ts). */
  proxyTag?: string;
}

export function workerOn(vars: Partial<WorkerEnv> = {}, opts: WorkerOptions = {}): WorkerUnderTest {
  // Built at call time: a Postgres database exists only once beforeAll ran.
  const workerEnv = (): WorkerEnv => {
    const db = opts.postgres;
    const proxy = db && (opts.proxyTag ? `${db.proxy}/${opts.proxyTag}` : db.proxy);
    return {
      ...env,
      LOG_LEVEL: "error",
      ...(db ? { DATABASE_URL: db.url, NEON_WS_PROXY: proxy } : {}),
      ...vars,
    };
  };
  return {
    env: workerEnv,
    async call(method, path, body, callOpts = {}) {
      const token = callOpts.token === undefined ? "admin" : callOpts.token;
      const headers: Record<string, string> = { ...callOpts.headers };
      if (token !== null) headers.Authorization = `Bearer ${TOKENS[token as keyof typeof TOKENS] ?? token}`;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const request = new Request(`${callOpts.origin ?? "https://analytics.veritix.test"}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const ctx = createExecutionContext();
      const res = await worker.fetch(request, workerEnv(), ctx);
      // Cache writes and the pool's end run after the answer; let them finish.
      await waitOnExecutionContext(ctx);
      return res;
    },
    async scheduled(at = new Date()) {
      const ctx = createExecutionContext();
      const controller = createScheduledController({ scheduledTime: at, cron: "17 * * * *" });
      await worker.scheduled(controller, workerEnv(), ctx);
      await waitOnExecutionContext(ctx);
    },
  };
}
