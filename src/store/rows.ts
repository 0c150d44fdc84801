// A validated record as a row to store: its columns (./columns.ts, from the Drizzle
// tables) taken from the record, with the server's defaults for what it left out: a
// UUIDv7 (time-ordered) for the idempotency key, "now" for its own time, null otherwise.
import { uuidv7 } from "uuidv7";
import { KINDS, type Kind } from "./columns.js";
import type { RecordBatch } from "./types.js";

type Row<K extends Kind> = RecordBatch[K][number];

const PLAN = Object.fromEntries(
  Object.entries(KINDS).map(([kind, spec]) => [
    kind,
    { time: spec.time, columns: Object.keys(spec.columns) },
  ]),
) as Record<Kind, { time: string; columns: string[] }>;

/** `data`: the record as its zod schema answers it (absent optional fields undefined). */
export function toRow<K extends Kind>(kind: K, data: object, now = new Date()): Row<K> {
  const { time, columns } = PLAN[kind];
  const d = data as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const c of columns) row[c] = d[c] ?? null;
  row.uuid ??= uuidv7();
  row[time] ??= now;
  return row as Row<K>;
}
