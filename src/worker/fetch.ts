// The Worker's fetch handler: this isolate's app (./app.ts) answers the request.
import { appFor } from "./app.js";
import type { WorkerEnv } from "./env.js";

export function handleFetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
  return Promise.resolve(appFor(env).fetch(request, env, ctx));
}
