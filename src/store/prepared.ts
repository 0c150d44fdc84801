// Queries prepared once per store: Drizzle's SQL built once, SQLite's statement compiled
// once, Postgres's named and planned once per connection, with the request's values as
// placeholders. Building a read's queries on every request was most of its CPU (bench/
// PROFILE.md; GET /stats/alerts: 385 -> 145 µs per request). A store lives as long as its
// process on Node and as its D1 binding on Workers; Neon's lives for one request.

/**
 * `build()` on first use, not when the store opens: a database without the schema fails
 * to prepare some queries, and must still answer 503 (and work once it is migrated).
 */
export function onFirstUse<T>(build: () => T): () => T {
  let prepared: T | undefined;
  return () => {
    prepared ??= build();
    return prepared;
  };
}
