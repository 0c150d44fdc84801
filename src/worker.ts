// Cloudflare Workers entry: env -> dependencies, per request (fetch) and per cron run
// (scheduled). The app is src/app.ts, the same as on Node; see src/worker/ for the rest.
// Nothing here may import Node-only modules (src/node, better-sqlite3, pg, prom-client).
import type { WorkerEnv } from "./worker/env.js";
import { handleFetch } from "./worker/fetch.js";
import { handleScheduled } from "./worker/scheduled.js";

export type { WorkerEnv } from "./worker/env.js";

export default {
  fetch: handleFetch,
  scheduled: handleScheduled,
} satisfies ExportedHandler<WorkerEnv>;
