// Wrangler under bench: the tests' runner (test/support/targets/wrangler.ts: one-shot
// commands, and `wrangler dev --local` in a process group of its own), with the Worker
// run as users run it: tokens required (the dev config's AUTH_DISABLED overridden) at the
// default LOG_LEVEL, unless BENCH_OPEN=1 (AUTH_DISABLED and LOG_LEVEL=warn, as before).
import {
  startWranglerDev as startDev,
  type WranglerDev,
  wrangler,
} from "../../test/support/targets/wrangler.js";
import { serverAuthEnv } from "./auth.js";

export { wrangler };

function workerAuthVars(): Record<string, string> {
  const env = serverAuthEnv();
  return env.API_TOKENS ? { ...env, AUTH_DISABLED: "false" } : { LOG_LEVEL: env.LOG_LEVEL as string };
}

export function startWranglerDev(opts: {
  env?: string;
  config?: string;
  persistTo: string;
  vars: Record<string, string>;
}): Promise<WranglerDev> {
  return startDev({ ...opts, vars: { ...workerAuthVars(), ...opts.vars } });
}
