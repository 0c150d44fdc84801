// The three record kinds as the batch SQL of both dialects sees them: which table, which
// columns in which order (with the type each is read as), and which stats counters a
// stored record adds to. Both pg/batch-sql.ts and sqlite/batch-sql.ts are generated from this.
import type { RecordBatch } from "./types.js";

export type Kind = keyof RecordBatch;
export type ColumnType = "text" | "timestamptz" | "boolean" | "jsonb";

/** A counter that counts the records whose boolean `column` is `is`. */
export interface Flag {
  column: string;
  is: boolean;
}

export interface KindSpec {
  table: string;
  /** The record's own time: it decides the UTC day the record counts on. */
  time: string;
  columns: Record<string, ColumnType>;
  /** analytics_stats counter -> the boolean column it counts (null: every record). */
  counters: Record<string, Flag | null>;
}

export const KINDS: Record<Kind, KindSpec> = {
  scans: {
    table: "ticket_scans",
    time: "scan_timestamp",
    columns: {
      uuid: "text",
      ticket_id: "text",
      event_id: "text",
      scanner_id: "text",
      scan_timestamp: "timestamptz",
      is_valid: "boolean",
      location: "text",
      device_info: "text",
      additional_metadata: "jsonb",
    },
    counters: {
      scan_count: null,
      valid_scan_count: { column: "is_valid", is: true },
      invalid_scan_count: { column: "is_valid", is: false },
    },
  },
  transfers: {
    table: "ticket_transfers",
    time: "transfer_timestamp",
    columns: {
      uuid: "text",
      ticket_id: "text",
      event_id: "text",
      from_user_id: "text",
      to_user_id: "text",
      transfer_timestamp: "timestamptz",
      transfer_reason: "text",
      ip_address: "text",
      user_agent: "text",
      is_successful: "boolean",
      additional_metadata: "jsonb",
    },
    counters: {
      transfer_count: null,
      successful_transfer_count: { column: "is_successful", is: true },
      failed_transfer_count: { column: "is_successful", is: false },
    },
  },
  invalidAttempts: {
    table: "invalid_attempts",
    time: "attempt_timestamp",
    columns: {
      uuid: "text",
      attempt_type: "text",
      reason: "text",
      ticket_id: "text",
      event_id: "text",
      attempt_timestamp: "timestamptz",
      ip_address: "text",
      user_agent: "text",
      additional_metadata: "jsonb",
    },
    counters: { invalid_attempt_count: null },
  },
};

export const KIND_NAMES = Object.keys(KINDS) as Kind[];

export const STAT_COUNTERS = [
  "scan_count",
  "transfer_count",
  "invalid_attempt_count",
  "valid_scan_count",
  "invalid_scan_count",
  "successful_transfer_count",
  "failed_transfer_count",
] as const;

/** The counters of a set of records: `count(*)` / `sum(CASE ...)`, valid SQL in both dialects. */
export function counterExpressions(spec: KindSpec): string[] {
  return Object.values(spec.counters).map((flag) =>
    flag === null ? "count(*)" : `sum(CASE WHEN ${flag.is ? "" : "NOT "}${flag.column} THEN 1 ELSE 0 END)`,
  );
}

/** `scan_count = analytics_stats.scan_count + excluded.scan_count, ...` */
export function counterIncrements(spec: KindSpec): string {
  return Object.keys(spec.counters)
    .map((c) => `${c} = analytics_stats.${c} + excluded.${c}`)
    .join(", ");
}
