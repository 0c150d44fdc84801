// The stats counters of analytics_stats, listed once: in the order GET /stats answers
// them, each with the record kind it counts and which of its records. The Drizzle tables
// of both dialects build their counter columns from this list; the batch SQL, the stats
// reads and the stats shape are derived from it too.
export type RecordKind = "scans" | "transfers" | "invalidAttempts";

/** Which records of its kind a counter counts: all, or those whose boolean `column` is `is`. */
export type Counts = "all" | { column: string; is: boolean };

export const STAT_COUNTERS = {
  scan_count: { kind: "scans", counts: "all" },
  transfer_count: { kind: "transfers", counts: "all" },
  invalid_attempt_count: { kind: "invalidAttempts", counts: "all" },
  valid_scan_count: { kind: "scans", counts: { column: "is_valid", is: true } },
  invalid_scan_count: { kind: "scans", counts: { column: "is_valid", is: false } },
  successful_transfer_count: { kind: "transfers", counts: { column: "is_successful", is: true } },
  failed_transfer_count: { kind: "transfers", counts: { column: "is_successful", is: false } },
} as const satisfies Record<string, { kind: RecordKind; counts: Counts }>;

export type StatCounter = keyof typeof STAT_COUNTERS;
export const COUNTER_NAMES = Object.keys(STAT_COUNTERS) as StatCounter[];

/** The counter columns of an analytics_stats table, each made by the dialect's `column`. */
export function counterColumns<C>(column: (name: StatCounter) => C): Record<StatCounter, C> {
  return Object.fromEntries(COUNTER_NAMES.map((name) => [name, column(name)])) as Record<StatCounter, C>;
}
