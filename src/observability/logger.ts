// Structured logs: one JSON object per line (time, level, msg, and the operation's
// fields). Runs anywhere console does (Node and Workers).
import { causeChain } from "../errors.js";

export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(
  level: LogLevel = "info",
  base: LogFields = {},
  write: (line: string) => void = (line) => console.log(line),
): Logger {
  const emit = (at: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[at] < RANK[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...base, ...fields }));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, write),
  };
}

export const silentLogger: Logger = createLogger("error", {}, () => {});

/** The start of a failed statement's text that a log line keeps. */
const STATEMENT_CHARS = 160;

/**
 * An error's message for a log line. Drizzle's "Failed query: <statement>\nparams: <values>"
 * would put the records themselves in the log (a user's email, an IP address: every row
 * of a 1,000-item sync) and a batch statement runs to kilobytes: its start only, no values.
 */
function loggable(message: string): string {
  if (!message.startsWith("Failed query:")) return message;
  const statement = message.split("\nparams:")[0] as string;
  return statement.length > STATEMENT_CHARS ? `${statement.slice(0, STATEMENT_CHARS)}…` : statement;
}

/** Error details fit for a log line (never a request's credentials, nor its records' values). */
export function errorFields(err: unknown): LogFields {
  if (!(err instanceof Error)) return { error: String(err) };
  // Drivers wrapped by Drizzle keep the real reason (e.g. ECONNREFUSED) in `cause`.
  const causes = [...causeChain(err.cause)]
    .slice(0, 3)
    .map((c) => (c instanceof Error ? loggable(c.message) || c.name : String(c)));
  return {
    error: loggable(err.message),
    error_name: err.name,
    ...(causes.length ? { cause: causes.join("; ") } : {}),
  };
}
