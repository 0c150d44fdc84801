// A transaction on a client of node-postgres's pool that always goes back to it. Drizzle's
// own (drizzle-orm 0.45, node-postgres session) sends BEGIN before its try/finally: a BEGIN
// that times out in a network partition never released its client, and a few partitions
// held the whole pool for good (every later request waited 10 s for a client, then failed).
// Here the client is released whatever fails, and destroyed (release(err)) when its
// connection cannot be trusted: after a statement timed out or the connection broke it may
// still be inside a transaction, and the next caller's writes would never commit.
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { isNetworkFailure } from "../errors.js";
import type { PgDb } from "./store.js";

export type Transact = <T>(fn: (tx: PgDb) => Promise<T>) => Promise<T>;

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

export function poolTransaction(pool: pg.Pool): Transact {
  return async (fn) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // Checked out, a client has no listener of the pool's: Postgres ending its session
    // between statements (idle_in_transaction_session_timeout: this server was frozen)
    // would be an uncaught 'error', a crash. Kept, it is the reason the transaction failed
    // (its SQLSTATE says so; the next statement's own error says only "not queryable").
    let lost: Error | undefined;
    const onError = (err: Error) => {
      lost ??= err;
    };
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      try {
        const result = await fn(drizzle({ client }) as unknown as PgDb);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch((e: unknown) => {
          broken ??= asError(e);
        });
        throw err;
      }
    } catch (err) {
      if (!broken && isNetworkFailure(err)) broken = asError(err);
      throw lost ?? err;
    } finally {
      client.off("error", onError);
      client.release(broken ?? lost);
    }
  };
}
