// GET /stats/alerts' reads (DESIGN.md, "Signals"), written once for both dialects as the
// entry-flow reads are. They read the signal aggregates (./signals.ts), never the records:
// - double entries: a page from the (event_id, second_at, ticket_id) index, and their
//   count from event_signals: the cost follows the page, not the event;
// - transfer chains and bursts: the rows at or above the thresholds (which come from
//   config, so they are found by index range, not kept as flags): the cost follows the
//   number of such alerts, not of the records.
import { and, desc, eq, gte, isNotNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { QueryDb, Tables } from "./queries.js";
import type { BurstRow, ChainRow, DoubleEntryBound, DoubleEntryRow, Store } from "./types.js";

const num = (s: SQL) => s.mapWith(Number);

export function alertReads(db: QueryDb, t: Tables, dialect: "pg" | "sqlite"): Pick<Store, "alertRows"> {
  const te = t.ticketEntries;
  const tt = t.transferTickets;
  const bk = t.burstKeys;
  const br = t.burstReasons;
  const es = t.eventSignals;
  // Ticket ids compare bytewise, as the cursor's do (a database collation need not).
  const ticket = dialect === "pg" ? sql`${te.ticket_id} COLLATE "C"` : sql`${te.ticket_id}`;

  function afterBound(b: DoubleEntryBound | null): SQL | undefined {
    if (!b) return undefined;
    if (b.ties === "none") return lt(te.second_at, b.at);
    if (b.ties === "all") return lte(te.second_at, b.at);
    return or(lt(te.second_at, b.at), and(eq(te.second_at, b.at), sql`${ticket} < ${b.ties.below}`));
  }

  async function doubleEntries(eventId: string, limit: number, before: DoubleEntryBound | null) {
    const rows = await db
      .select({
        ticket_id: te.ticket_id,
        valid_scans: te.valid_scans,
        first_at: te.first_at,
        first_uuid: te.first_uuid,
        first_location: te.first_location,
        first_scanner_id: te.first_scanner_id,
        first_received_at: te.first_received_at,
        second_at: te.second_at,
        second_uuid: te.second_uuid,
        second_location: te.second_location,
        second_scanner_id: te.second_scanner_id,
        second_received_at: te.second_received_at,
      })
      .from(te)
      .where(and(eq(te.event_id, eventId), isNotNull(te.second_at), afterBound(before)))
      .orderBy(desc(te.second_at), sql`${ticket} DESC`)
      .limit(limit);
    // second_at is not null: so are the others of the second scan (written together).
    return rows as DoubleEntryRow[];
  }

  const chainWhere = (eventId: string, atLeast: number, gapMs: number) =>
    and(eq(tt.event_id, eventId), or(gte(tt.successful, atLeast), lte(tt.min_gap_ms, gapMs)));

  async function chains(eventId: string, atLeast: number, gapMs: number): Promise<ChainRow[]> {
    const rows = await db
      .select({
        ticket_id: tt.ticket_id,
        successful: tt.successful,
        failed: tt.failed,
        min_gap_ms: tt.min_gap_ms,
        chain: tt.chain,
      })
      .from(tt)
      .where(chainWhere(eventId, atLeast, gapMs));
    return rows as ChainRow[];
  }

  const burstWhere = (eventId: string, atLeast: number) =>
    and(eq(bk.event_id, eventId), gte(bk.records, atLeast));

  async function bursts(eventId: string, atLeast: number): Promise<BurstRow[]> {
    const rows = await db
      .select({
        key_kind: bk.key_kind,
        key: bk.key,
        minute: bk.minute,
        records: bk.records,
        reason: br.reason,
        reason_records: br.records,
      })
      .from(bk)
      .innerJoin(
        br,
        and(
          eq(br.event_id, bk.event_id),
          eq(br.key_kind, bk.key_kind),
          eq(br.key, bk.key),
          eq(br.minute, bk.minute),
        ),
      )
      .where(burstWhere(eventId, atLeast));
    const byKey = new Map<string, BurstRow>();
    for (const r of rows) {
      const id = `${r.key_kind}\u0000${r.key}\u0000${r.minute}`;
      let burst = byKey.get(id);
      if (!burst) {
        burst = { key_kind: r.key_kind, key: r.key, minute: r.minute, records: r.records, reasons: [] };
        byKey.set(id, burst);
      }
      burst.reasons.push({ reason: r.reason, records: r.reason_records });
    }
    return [...byKey.values()];
  }

  const countOf = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? 0;

  return {
    async alertRows(eventId, q) {
      const [doubles, doubleCount, chainRows, chainCount, burstRows, burstCount] = await Promise.all([
        q.rows.double_entry ? doubleEntries(eventId, q.limit, q.before) : [],
        countOf(db.select({ n: es.double_entries }).from(es).where(eq(es.event_id, eventId))),
        q.rows.transfer_chain ? chains(eventId, q.transferChain, q.chainGapMs) : null,
        q.rows.transfer_chain
          ? null
          : countOf(
              db
                .select({ n: num(sql`count(*)`) })
                .from(tt)
                .where(chainWhere(eventId, q.transferChain, q.chainGapMs)),
            ),
        q.rows.invalid_burst ? bursts(eventId, q.burstCount) : null,
        q.rows.invalid_burst
          ? null
          : countOf(
              db
                .select({ n: num(sql`count(*)`) })
                .from(bk)
                .where(burstWhere(eventId, q.burstCount)),
            ),
      ]);
      return {
        double_entry: { count: doubleCount, rows: doubles },
        transfer_chain: { count: chainRows?.length ?? chainCount ?? 0, rows: chainRows ?? [] },
        invalid_burst: { count: burstRows?.length ?? burstCount ?? 0, rows: burstRows ?? [] },
      };
    },
  };
}
