// Cloudflare Workers entry: requests (fetch: the app of src/worker/app.ts, built once per
// isolate, the same as on Node) and cron runs (scheduled: retention); see src/worker/.
// Nothing here may import Node-only modules (src/node, better-sqlite3, pg, prom-client).
import type { WorkerEnv } from "./worker/env.js";
import { handleFetch } from "./worker/fetch.js";
import { handleScheduled } from "./worker/scheduled.js";

export type { WorkerEnv } from "./worker/env.js";

export default {
  fetch: handleFetch,
  scheduled: handleScheduled,
} satisfies ExportedHandler<WorkerEnv>;
