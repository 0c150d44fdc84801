// The Hono environment every route sees: what the app was built from, and per request
// the request id, the caller and a logger carrying the request id.
import type { Analytics } from "../analytics.js";
import type { Principal } from "../auth/roles.js";
import type { AuthSettings } from "../auth/tokens.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";

export interface AppDeps {
  analytics: Analytics;
  auth: AuthSettings;
  logger: Logger;
  metrics: Metrics;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
    log: Logger;
  };
}
