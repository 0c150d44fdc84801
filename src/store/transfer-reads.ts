// GET /stats/transfers/summary's read, written once for both dialects as the entry-flow
// reads are: the event's aggregate rows only (per UTC day from analytics_stats, per reason
// and per ticket from the transfer tables), never its records, so retention leaves it whole.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { bytewise } from "../text-order.js";
import { num, type QueryDb, type Tables } from "./queries.js";
import type { Store } from "./types.js";

interface ReasonRow {
  no_reason: number;
  reason: string;
  successful: number;
  failed: number;
}

/**
 * No reason last, whatever its count; then by total descending, then by reason. Sorted
 * here, not in SQL: the two dialects order text by different collations.
 */
const byReason = (a: ReasonRow, b: ReasonRow): number =>
  a.no_reason - b.no_reason ||
  b.successful + b.failed - (a.successful + a.failed) ||
  bytewise(a.reason, b.reason);

export function transferReads(db: QueryDb, t: Tables): Pick<Store, "transferSummary"> {
  const stats = t.analyticsStats;
  const tr = t.transferReasons;
  const tt = t.transferTickets;
  return {
    async transferSummary(eventId) {
      const [days, reasons, tickets] = await Promise.all([
        db
          .select({
            date: stats.stat_date,
            successful: stats.successful_transfer_count,
            failed: stats.failed_transfer_count,
          })
          .from(stats)
          .where(and(eq(stats.event_id, eventId), gt(stats.transfer_count, 0)))
          .orderBy(asc(stats.stat_date)),
        db
          .select({
            no_reason: tr.no_reason,
            reason: tr.reason,
            successful: tr.successful,
            failed: tr.failed,
          })
          .from(tr)
          .where(eq(tr.event_id, eventId)),
        db
          .select({ n: num(sql`count(*)`) })
          .from(tt)
          .where(and(eq(tt.event_id, eventId), gt(tt.successful, 0))),
      ]);
      const sum = (key: "successful" | "failed") => days.reduce((n, d) => n + d[key], 0);
      return {
        successful: sum("successful"),
        failed: sum("failed"),
        tickets_transferred: tickets[0]?.n ?? 0,
        by_reason: reasons.sort(byReason).map((r) => ({
          reason: r.no_reason === 1 ? null : r.reason,
          successful: r.successful,
          failed: r.failed,
        })),
        by_day: days,
      };
    },
  };
}
