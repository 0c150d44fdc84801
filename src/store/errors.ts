// The store's own errors: what a caller can act on, whatever the driver. Each dialect
// turns its driver's errors into these (./pg/errors.ts, ./sqlite/errors.ts); the HTTP
// edge maps only these, never a SQLSTATE or a SQLite code.
import { causeChain } from "../errors.js";
import type { Store } from "./types.js";

export type StoreFailure =
  /**
   * The database does not answer (down, restarting, unreachable, out of connections), or
   * cannot take this server's writes (a read-only or damaged file, a role without grants):
   * nothing the request can change.
   */
  | "unavailable"
  /** It answers but cannot take this now (locked, a writer ahead): retry shortly. */
  | "busy"
  /** It lacks the schema: migrations were not applied. `message` says what to run. */
  | "not_migrated"
  /** The signed scanner token of the call was revoked (./revocations.ts): nothing was written. */
  | "revoked"
  /**
   * The request is more than the database takes at once (D1's limits: a value of 2 MB, 50
   * or 1,000 queries a request): nothing was written; in smaller parts it would be.
   */
  | "too_big";

export class StoreError extends Error {
  constructor(
    readonly failure: StoreFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StoreError";
  }
}

/** A dialect's reading of a driver error: the store's failure, or null for anything else (a bug). */
export type Classify = (err: unknown) => StoreFailure | null;

/** Socket-level failures, the same for every driver that talks over the network. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

export function isNetworkFailure(err: unknown): boolean {
  for (const e of causeChain(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    // node-postgres's own: a statement unanswered past query_timeout, a connection not made
    // within connectionTimeoutMillis, no client free in the pool within it.
    if (
      e instanceof Error &&
      /Connection terminated|connect ECONNREFUSED|WebSocket|Query read timeout|timeout expired|timeout exceeded when trying to connect/i.test(
        e.message,
      )
    )
      return true;
  }
  return false;
}

const MESSAGES: Record<StoreFailure, string> = {
  unavailable: "the database is unavailable; retry shortly",
  busy: "the database is busy; retry shortly",
  not_migrated: "the database has no schema",
  revoked: "this scanner's tokens issued before its revocation are refused: it needs a new token",
  too_big:
    "the database cannot take this request whole (a limit of its platform); nothing was stored: send it in smaller parts",
};

/** The store's failure with its usual message (a store that finds it out itself: a revoked token in a read). */
export const storeFailure = (failure: StoreFailure): StoreError => new StoreError(failure, MESSAGES[failure]);

/**
 * The store with every method's errors read by `classify`: a failure it knows becomes a
 * StoreError (`howToMigrate` completes the not-migrated message); anything else passes as
 * it is. StoreErrors thrown inside the store pass too.
 */
export function withStoreErrors(store: Store, classify: Classify, howToMigrate: string): Store {
  const translate = (err: unknown): never => {
    if (err instanceof StoreError) throw err;
    const failure = classify(err);
    if (!failure) throw err;
    const message =
      failure === "not_migrated" ? `${MESSAGES.not_migrated}: ${howToMigrate}` : MESSAGES[failure];
    throw new StoreError(failure, message, { cause: err });
  };
  return mapMethods(
    store,
    (fn) =>
      (...args) =>
        fn(...args).catch(translate),
  );
}

type Method = (...args: never[]) => Promise<unknown>;

/** Each of the store's methods wrapped by `wrap` (instrumenting, translating errors). */
export function mapMethods(store: Store, wrap: (fn: Method, name: string) => Method): Store {
  const out: Record<string, unknown> = { dialect: store.dialect };
  for (const [name, value] of Object.entries(store)) {
    if (typeof value === "function") out[name] = wrap((value as Method).bind(store), name);
  }
  return out as unknown as Store;
}
