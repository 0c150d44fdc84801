// The signals recomputed from the raw record tables by plain SQL, written here apart from
// the service's own (which reads its aggregates): the property tests hold
// GET /stats/transfers/summary to this. No runtime imports, like ./entry-flow-recompute.ts.
import type { Dialect, RawQuery } from "./entry-flow-recompute.js";

const n = (v: unknown) => Number(v ?? 0);
const day = (d: Dialect) =>
  d === "pg"
    ? "to_char(transfer_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    : "strftime('%Y-%m-%d', transfer_timestamp / 1000, 'unixepoch')";
const counts =
  "sum(CASE WHEN is_successful THEN 1 ELSE 0 END) AS ok, sum(CASE WHEN is_successful THEN 0 ELSE 1 END) AS ko";

export interface RecomputedTransferSummary {
  successful: number;
  failed: number;
  tickets_transferred: number;
  by_reason: { reason: string | null; successful: number; failed: number }[];
  by_day: { date: string; successful: number; failed: number }[];
}

export async function recomputeTransferSummary(
  d: Dialect,
  q: RawQuery,
  e: string,
): Promise<RecomputedTransferSummary> {
  const [all] = await q(
    `SELECT ${counts}, count(DISTINCT CASE WHEN is_successful THEN ticket_id END) AS tickets
     FROM ticket_transfers WHERE event_id = :e`,
    { e },
  );
  const reasons = await q(
    `SELECT transfer_reason AS reason, ${counts} FROM ticket_transfers WHERE event_id = :e GROUP BY 1`,
    {
      e,
    },
  );
  const days = await q(
    `SELECT ${day(d)} AS date, ${counts} FROM ticket_transfers WHERE event_id = :e GROUP BY 1 ORDER BY 1`,
    {
      e,
    },
  );
  const byReason = reasons.map((r) => ({
    reason: (r.reason as string | null) ?? null,
    successful: n(r.ok),
    failed: n(r.ko),
  }));
  // DESIGN.md: by total descending, then reason (compared as JS strings), no reason last.
  byReason.sort(
    (a, b) =>
      Number(a.reason === null) - Number(b.reason === null) ||
      b.successful + b.failed - a.successful - a.failed ||
      ((a.reason ?? "") < (b.reason ?? "") ? -1 : (a.reason ?? "") > (b.reason ?? "") ? 1 : 0),
  );
  return {
    successful: n(all?.ok),
    failed: n(all?.ko),
    tickets_transferred: n(all?.tickets),
    by_reason: byReason,
    by_day: days.map((r) => ({ date: String(r.date), successful: n(r.ok), failed: n(r.ko) })),
  };
}
