// Queries prepared once per store: Drizzle's SQL built once, SQLite's statement compiled
// once, Postgres's named and planned once per connection, with the request's values as
// placeholders. Building a read's queries on every request was most of its CPU (bench/
// PROFILE.md; GET /stats/alerts: 385 -> 145 µs per request). A store lives as long as its
// process on Node and as its D1 binding on Workers; Neon's lives for one request.

type Prepared = { execute: (...args: never[]) => unknown };

/**
 * `build()` on first use, not when the store opens: a database without the schema fails
 * to prepare some queries, and must still answer 503 (and work once it is migrated). The
 * failure comes as the execution's rejection, never as a throw while a caller is still
 * starting its other queries (which would leave their rejections unhandled).
 */
export function onFirstUse<P extends Prepared>(
  build: () => P,
): () => { execute(...args: Parameters<P["execute"]>): Promise<Awaited<ReturnType<P["execute"]>>> } {
  let prepared: P | undefined;
  type Result = Awaited<ReturnType<P["execute"]>>;
  const handle = {
    async execute(...args: Parameters<P["execute"]>): Promise<Result> {
      prepared ??= build();
      const result: unknown = await prepared.execute(...args);
      return result as Result;
    },
  };
  return () => handle;
}

/** A time as a placeholder's value: the driver gets it as it is, so as the column stores it. */
export const timeValue = (dialect: "pg" | "sqlite", ms: number): string | number =>
  dialect === "pg" ? new Date(ms).toISOString() : ms;
