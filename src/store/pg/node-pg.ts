// node-postgres (Node): `npm start` with DATABASE_URL, and the tests.
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { withStoreErrors } from "../errors.js";
import { batchSize, groupCommit, mergedInserts } from "../group-commit.js";
import { applyMigrations, MIGRATE_HINT, type MigrationLog, migrationsFolder } from "../migrations.js";
import type { Store } from "../types.js";
import { classifyPg } from "./errors.js";
import { poolTransaction } from "./pool-transaction.js";
import * as schema from "./schema.js";
import { type PgDb, pgStore } from "./store.js";

export interface NodePgOptions {
  url: string;
  /** Connections in the pool. */
  max?: number;
  migrate?: boolean;
  /** How long a statement may go unanswered (default STATEMENT_TIMEOUT_MS; tests shorten it). */
  statementTimeoutMs?: number;
  /** How long to wait for a connection, new or free in the pool (default 10 s; tests shorten it). */
  connectTimeoutMs?: number;
  /** How long a write waits for its events' locks (default LOCK_TIMEOUT_MS; tests shorten it). */
  lockTimeoutMs?: number;
  /** How long a transaction may stay open between statements (default IDLE_IN_TRANSACTION_MS). */
  idleInTransactionMs?: number;
  /** Says what the migrations did (the server's log). */
  log?: MigrationLog;
}

/** Two-key advisory locks: apart from the events' (./batch-sql.ts, one key space each). */
export const MIGRATION_LOCK = [0x76657269, 0x6d696772] as const;

/**
 * Applies pending migrations on a connection of their own, one server at a time: servers
 * started together on one database wait for the first (which migrates) rather than fail
 * on each other's half-made tables. Refuses a database a newer version migrated.
 */
async function migratePg(url: string, log: MigrationLog | undefined): Promise<void> {
  const migrator = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 });
  migrator.on("error", () => {});
  try {
    const client = await migrator.connect();
    // A checked-out client has no pool listener: a connection lost while it waits for the
    // lock or migrates would be an uncaught 'error' (a crash) instead of the query's failure.
    let broken: Error | undefined;
    client.on("error", (err) => {
      broken = err;
    });
    try {
      const [lock] = (
        await client.query<{ got: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS got", [
          ...MIGRATION_LOCK,
        ])
      ).rows;
      if (!lock?.got) {
        log?.info("waiting for another server's migrations of this database");
        await client.query("SELECT pg_advisory_lock($1, $2)", [...MIGRATION_LOCK]);
      }
      // Parsed only when present: a statement naming a missing table fails whatever its CASE.
      const { rows: present } = await client.query<{ yes: boolean }>(
        "SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS yes",
      );
      const newest = present[0]?.yes
        ? ((
            await client.query<{ at: string | null }>(
              "SELECT max(created_at)::text AS at FROM drizzle.__drizzle_migrations",
            )
          ).rows[0]?.at ?? null)
        : null;
      await applyMigrations(
        "pg",
        newest === null ? null : Number(newest),
        () => migrate(drizzle({ client, schema }), { migrationsFolder: migrationsFolder("pg") }),
        log,
      );
    } finally {
      // Ending the connection releases the lock too; this says so at once.
      if (!broken)
        await client.query("SELECT pg_advisory_unlock($1, $2)", [...MIGRATION_LOCK]).catch(() => {});
      client.release(broken ?? true);
    }
  } finally {
    await migrator.end(); // an open pool would keep the process alive after a failure
  }
}

/**
 * How long a statement may go unanswered before it fails, as `unavailable` (a 503 with
 * Retry-After). A connection that died without a word (a network partition, a NAT or
 * firewall dropping it) would otherwise hold its caller forever, and with it every write
 * queued behind it (group commit runs one group at a time), and the pool's close on
 * SIGTERM. Far above any statement the server runs (a batch of 1,000 takes tens of ms);
 * migrations, which may take long on a big database, run on a connection of their own.
 * A write that timed out may still have committed: its retry is a duplicate, counted once.
 */
export const STATEMENT_TIMEOUT_MS = 15_000;

/** Under STATEMENT_TIMEOUT_MS: a write that waited for its lock fails before its caller gives up. */
export const LOCK_TIMEOUT_MS = 10_000;
/** The store's transactions run their statements back to back, milliseconds apart. */
export const IDLE_IN_TRANSACTION_MS = 10_000;

/**
 * Postgres's own limits on this server's sessions, so that Postgres lets go where the
 * server cannot. A server frozen mid-transaction (a VM paused, a swap storm, cut off from
 * Postgres) held its events' locks (./batch-sql.ts), and every server's writes to those
 * events queued behind it for good, each timed-out wait a backend left waiting (an audit,
 * three servers on one database). Now its transaction ends after IDLE_IN_TRANSACTION_MS,
 * and the writers behind it fail as busy (503, Retry-After) after LOCK_TIMEOUT_MS, before
 * their callers give up (query_timeout), so no backend is left waiting. No server-side
 * statement_timeout: armed on every statement, it cost POST /scans ~9% of its throughput
 * in same-day A/B runs (bench/RESULTS.md), and query_timeout bounds statements already.
 * Set by SET on each new connection (limitedClient), not as startup parameters, which
 * PgBouncer and Neon's pooled endpoints refuse.
 */
export function sessionLimitsSql(opts: Omit<NodePgOptions, "url">): string {
  const ms = (n: number) => `${Math.max(1, Math.round(n))}`;
  return [
    `SET lock_timeout = ${ms(opts.lockTimeoutMs ?? LOCK_TIMEOUT_MS)}`,
    `SET idle_in_transaction_session_timeout = ${ms(opts.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS)}`,
  ].join("; ");
}

/**
 * node-postgres's client, whose connect() also sets the session's limits: the pool hands a
 * new client out only once it has (a SET sent from the pool's "connect" event would queue
 * behind nothing awaited, which pg deprecates and pg 9 refuses).
 */
export function limitedClient(opts: Omit<NodePgOptions, "url">): typeof pg.Client {
  const limits = sessionLimitsSql(opts);
  return class LimitedClient extends pg.Client {
    override connect(): Promise<pg.Client>;
    override connect(callback: (err: Error) => void): void;
    override connect(callback?: (err: Error) => void): Promise<pg.Client> | undefined {
      const ready = super.connect().then(async () => {
        await this.query(limits);
        return this as pg.Client;
      });
      if (callback === undefined) return ready;
      ready.then(
        () => (callback as (err: Error | null) => void)(null),
        (err: Error) => callback(err),
      );
      return undefined;
    }
  };
}

export async function nodePgStore(opts: NodePgOptions): Promise<Store> {
  if (opts.migrate !== false) await migratePg(opts.url, opts.log);
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    query_timeout: opts.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
    Client: limitedClient(opts),
    // Idle connections that died are found and dropped, not handed to the next caller.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema });
  const store = pgStore(db as unknown as PgDb, () => pool.end(), poolTransaction(pool));
  // Every group of one event updates the same stats row, so groups queue on its lock
  // anyway. One in flight (the next group fills while it runs): since the entry-flow and
  // signal CTEs, a statement costs Postgres ~300 µs to start (opening a dozen tables and
  // their indexes) before its first row, and bigger groups share it. Against two, POST
  // /scans under 32 clients: 6,999 vs 6,299 req/s, p99 7.5 vs 9 ms, Postgres's CPU per scan
  // 66 vs 91 µs (12 interleaved rounds, bench/compare-builds.ts).
  const insert = groupCommit({
    maxInFlight: 1,
    maxSize: 1000,
    sizeOf: batchSize,
    // A database that does not answer, or a lock not to be had (lock_timeout), fails the
    // whole group at once: retried batch by batch, each would wait out its own timeout while
    // every caller waits for the last (a group of 12 behind a held lock: 13 waits).
    run: mergedInserts(store.insert, (err) => {
      const failure = classifyPg(err);
      return failure === "unavailable" || failure === "busy";
    }),
  });
  const pressure = async () => ({
    writesQueued: insert.queued(),
    writeGroupsInFlight: insert.inFlight(),
    pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
  });
  return withStoreErrors({ ...store, insert, pressure }, classifyPg, MIGRATE_HINT);
}
