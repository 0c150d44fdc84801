// What the command-line tools and the server's start-up say about the configured database
// (never its credentials), and error messages fit for one line.
import { resolve } from "node:path";
import type { Config } from "../config.js";
import { causeChain } from "../errors.js";

export interface DatabaseTarget {
  database: "postgres" | "sqlite";
  /** host:port/name for Postgres, the file's absolute path for SQLite. */
  target: string;
}

export function databaseTarget(config: Pick<Config, "DATABASE_URL" | "SQLITE_PATH">): DatabaseTarget {
  if (!config.DATABASE_URL) return { database: "sqlite", target: resolve(config.SQLITE_PATH) };
  const url = new URL(config.DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1)) || "(default database)";
  return { database: "postgres", target: `${url.hostname || "localhost"}:${url.port || "5432"}/${name}` };
}

/**
 * An error's message for a terminal: Drizzle wraps driver errors ("Failed query: ...")
 * with the real reason as `cause`, and connection failures can come as an AggregateError
 * without a message of its own.
 */
export function errorMessage(err: unknown): string {
  // The innermost cause first (the real reason), then what wrapped it, in parentheses.
  const [reason, ...wrappers] = [...causeChain(err)].reverse().map(ownMessage);
  return [reason, ...wrappers.map((w) => `(${w})`)].join(" ");
}

function ownMessage(err: unknown): string {
  if (err instanceof AggregateError && !err.message && err.errors.length > 0) {
    return [...new Set(err.errors.map(errorMessage))].join("; ");
  }
  if (!(err instanceof Error)) return String(err);
  return (err.message || String((err as { code?: unknown }).code ?? err.name)).split("\n")[0] as string;
}
