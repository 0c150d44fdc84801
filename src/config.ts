// Configuration from the environment (process.env on Node, vars and secrets on Workers),
// validated once at the entry: a bad value stops the start with a clear message.
import * as z from "zod";
import { ROLES, type Role } from "./auth/roles.js";
import { type AlertThresholds, DEFAULT_THRESHOLDS } from "./signals/alerts.js";

const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/**
 * A whole number, written as one ("16", or 16 from a wrangler var): not "0x10", "1e3" or
 * "8787.0", which Number() would take, so a typo does not pass for another value.
 */
const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error: "must be a whole number" }).int("must be a whole number").min(min).max(max),
  );
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blankIsUnset, s.optional());

const ms = (fallback: number) => z.preprocess(blankIsUnset, integer(1, 3_600_000).default(fallback));

const tokenPairs = z.string().transform((value, ctx) => {
  const pairs: { role: Role; token: string }[] = [];
  for (const part of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf(":");
    const role = part.slice(0, at) as Role;
    const token = part.slice(at + 1);
    if (at < 1 || !ROLES.includes(role) || role === "scanner" || token.length < 16) {
      ctx.addIssue({
        code: "custom",
        message:
          "each entry must be role:token with role admin, ingest or reader and a token of 16+ characters",
      });
      return z.NEVER;
    }
    pairs.push({ role, token });
  }
  return pairs;
});

/** Origins allowed to call from a browser: "https://ops.example.com,https://dash.example.com", or "*". */
const origins = z.string().transform((value, ctx) => {
  const list = value
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of list) {
    let exact = origin === "*";
    try {
      const url = new URL(origin);
      exact ||= /^https?:$/.test(url.protocol) && url.origin === origin;
    } catch {}
    if (!exact) {
      ctx.addIssue({
        code: "custom",
        message: `${origin} is not an origin: each entry must be scheme://host[:port] (no path, no trailing slash), or *`,
      });
      return z.NEVER;
    }
  }
  return list;
});

export const configSchema = z.object({
  DATABASE_URL: opt(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")),
  SQLITE_PATH: z.preprocess(blankIsUnset, z.string().default("./data/veritix-analytics.db")),
  PORT: z.preprocess(blankIsUnset, integer(0, 65535).default(8787)),
  HOST: z.preprocess(blankIsUnset, z.string().default("127.0.0.1")),
  API_TOKENS: z.preprocess(blankIsUnset, tokenPairs.default([])),
  SCANNER_SIGNING_KEY: opt(z.string().min(32, "must be at least 32 characters")),
  AUTH_DISABLED: z.preprocess(blankIsUnset, z.enum(["true", "false"]).default("false")),
  LOG_LEVEL: z.preprocess(blankIsUnset, z.enum(["debug", "info", "warn", "error"]).default("info")),
  // At most a century: further back than any record, and a date JavaScript can still hold.
  RETENTION_DAYS: opt(integer(1, 36_500)),
  CORS_ORIGINS: z.preprocess(blankIsUnset, origins.default([])),
  STATS_CACHE_SECONDS: z.preprocess(blankIsUnset, integer(0, 3600).default(5)),
  // Node server bounds for slow or idle clients (Node's own: 60 s for headers, 300 s for a
  // request, no cap on connections). A JSON API's largest request is a 1 MiB sync batch.
  HTTP_HEADERS_TIMEOUT_MS: ms(10_000),
  HTTP_REQUEST_TIMEOUT_MS: ms(60_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(5_000),
  // A connection with nothing moving either way for this long is closed: an export whose
  // client stopped reading held its pages (~0.6 MB) and its socket for good otherwise.
  HTTP_IDLE_TIMEOUT_MS: ms(120_000),
  HTTP_MAX_CONNECTIONS: z.preprocess(blankIsUnset, integer(1).default(1024)),
  // The alert thresholds of GET /stats/alerts (DESIGN.md, "Signals").
  ALERT_OFFLINE_LAG_SECONDS: z.preprocess(
    blankIsUnset,
    integer(0, 86_400).default(DEFAULT_THRESHOLDS.offlineLagSeconds),
  ),
  ALERT_PASSBACK_SECONDS: z.preprocess(
    blankIsUnset,
    integer(0, 86_400).default(DEFAULT_THRESHOLDS.passbackSeconds),
  ),
  // A chain needs two transfers at least: one is a transfer.
  ALERT_TRANSFER_CHAIN: z.preprocess(
    blankIsUnset,
    integer(2, 1000).default(DEFAULT_THRESHOLDS.transferChain),
  ),
  ALERT_BURST_COUNT: z.preprocess(blankIsUnset, integer(1, 100_000).default(DEFAULT_THRESHOLDS.burstCount)),
  /** How long a SIGTERM waits for requests in flight before it closes their connections. */
  SHUTDOWN_GRACE_MS: ms(10_000),
});

export type Config = z.output<typeof configSchema>;

export function parseConfig(env: Record<string, unknown>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  // One line, every problem: a log line's message says it all.
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new Error(`invalid configuration: ${problems.join("; ")}`);
}

/** The alert thresholds as GET /stats/alerts takes them. */
export const alertThresholds = (config: Config): AlertThresholds => ({
  offlineLagSeconds: config.ALERT_OFFLINE_LAG_SECONDS,
  passbackSeconds: config.ALERT_PASSBACK_SECONDS,
  transferChain: config.ALERT_TRANSFER_CHAIN,
  burstCount: config.ALERT_BURST_COUNT,
});
