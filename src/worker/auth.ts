// Auth on Workers fails closed: without API_TOKENS (or SCANNER_SIGNING_KEY) every
// protected route answers 401. AUTH_DISABLED = "true" opens it, and only for requests to
// a loopback host, i.e. `wrangler dev` on a developer's machine: the dev config deployed
// by mistake still asks for tokens.
import { isLoopbackUrl } from "../auth/loopback.js";
import type { AuthSettings } from "../auth/tokens.js";
import type { Config } from "../config.js";

export function workerAuth(config: Config): AuthSettings {
  const disabled = config.AUTH_DISABLED === "true";
  return {
    tokens: config.API_TOKENS,
    openFor: (requestUrl) => disabled && isLoopbackUrl(requestUrl),
    scannerKey: config.SCANNER_SIGNING_KEY,
  };
}
