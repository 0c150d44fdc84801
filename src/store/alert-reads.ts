// GET /stats/alerts' reads (DESIGN.md, "Signals"), written once for both dialects as the
// entry-flow reads are. They read the signal aggregates (./signals.ts), never the records:
// - double entries: a page from the (event_id, second_at, ticket_id) index, and their
//   count from event_signals: the cost follows the page, not the event;
// - transfer chains and bursts: the rows at or above the thresholds (which come from
//   config, so they are found by index range, not kept as flags): the cost follows the
//   number of such alerts, not of the records.
// Each query is prepared once per store (./prepared.ts), a page query per cursor shape.
import { and, desc, eq, gte, isNotNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { onFirstUse, timeValue } from "./prepared.js";
import { num, type QueryDb, type Tables } from "./queries.js";
import type { BurstRow, ChainRow, DoubleEntryBound, DoubleEntryRow, Store } from "./types.js";

/** The values the prepared queries take. */
const p = {
  event: sql.placeholder("event_id"),
  limit: sql.placeholder("limit"),
  at: sql.placeholder("at"),
  below: sql.placeholder("below"),
  atLeast: sql.placeholder("at_least"),
  gapMs: sql.placeholder("gap_ms"),
};
/** Which double-entry page query a cursor takes: none, or how its ties are cut. */
type Shape = "first" | "none" | "all" | "below";
const shapeOf = (b: DoubleEntryBound | null): Shape =>
  b === null ? "first" : typeof b.ties === "string" ? b.ties : "below";

export function alertReads(db: QueryDb, t: Tables, dialect: "pg" | "sqlite"): Pick<Store, "alertRows"> {
  const te = t.ticketEntries;
  const tt = t.transferTickets;
  const bk = t.burstKeys;
  const br = t.burstReasons;
  const es = t.eventSignals;
  // Ticket ids compare bytewise, as the cursor's do (a database collation need not).
  const ticket = dialect === "pg" ? sql`${te.ticket_id} COLLATE "C"` : sql`${te.ticket_id}`;

  const afterBound: Record<Shape, SQL | undefined> = {
    first: undefined,
    none: lt(te.second_at, p.at),
    all: lte(te.second_at, p.at),
    below: or(lt(te.second_at, p.at), and(eq(te.second_at, p.at), sql`${ticket} < ${p.below}`)),
  };
  const doubleEntryPage = (shape: Shape) =>
    onFirstUse(() =>
      db
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
        .where(and(eq(te.event_id, p.event), isNotNull(te.second_at), afterBound[shape]))
        .orderBy(desc(te.second_at), sql`${ticket} DESC`)
        .limit(p.limit)
        .prepare(`veritix_alerts_double_${shape}`),
    );
  const doublePages = {
    first: doubleEntryPage("first"),
    none: doubleEntryPage("none"),
    all: doubleEntryPage("all"),
    below: doubleEntryPage("below"),
  };

  const chainWhere = and(
    eq(tt.event_id, p.event),
    or(gte(tt.successful, p.atLeast), lte(tt.min_gap_ms, p.gapMs)),
  );
  const burstWhere = and(eq(bk.event_id, p.event), gte(bk.records, p.atLeast));
  const q = {
    doubleCount: onFirstUse(() =>
      db
        .select({ n: es.double_entries })
        .from(es)
        .where(eq(es.event_id, p.event))
        .prepare("veritix_alerts_double_count"),
    ),
    chains: onFirstUse(() =>
      db
        .select({
          ticket_id: tt.ticket_id,
          successful: tt.successful,
          failed: tt.failed,
          min_gap_ms: tt.min_gap_ms,
          chain: tt.chain,
        })
        .from(tt)
        .where(chainWhere)
        .prepare("veritix_alerts_chains"),
    ),
    chainCount: onFirstUse(() =>
      db
        .select({ n: num(sql`count(*)`) })
        .from(tt)
        .where(chainWhere)
        .prepare("veritix_alerts_chain_count"),
    ),
    bursts: onFirstUse(() =>
      db
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
        .where(burstWhere)
        .prepare("veritix_alerts_bursts"),
    ),
    burstCount: onFirstUse(() =>
      db
        .select({ n: num(sql`count(*)`) })
        .from(bk)
        .where(burstWhere)
        .prepare("veritix_alerts_burst_count"),
    ),
  };

  async function doubleEntries(eventId: string, limit: number, before: DoubleEntryBound | null) {
    const values: Record<string, unknown> = { event_id: eventId, limit };
    if (before) {
      values.at = timeValue(dialect, before.at.getTime());
      if (typeof before.ties !== "string") values.below = before.ties.below;
    }
    const rows = await doublePages[shapeOf(before)]().execute(values);
    // second_at is not null: so are the others of the second scan (written together).
    return rows as DoubleEntryRow[];
  }

  async function bursts(eventId: string, atLeast: number): Promise<BurstRow[]> {
    const rows = await q.bursts().execute({ event_id: eventId, at_least: atLeast });
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
    async alertRows(eventId, a) {
      const chainValues = { event_id: eventId, at_least: a.transferChain, gap_ms: a.chainGapMs };
      const burstValues = { event_id: eventId, at_least: a.burstCount };
      const [doubles, doubleCount, chainRows, chainCount, burstRows, burstCount] = await Promise.all([
        a.rows.double_entry ? doubleEntries(eventId, a.limit, a.before) : [],
        countOf(q.doubleCount().execute({ event_id: eventId })),
        a.rows.transfer_chain ? (q.chains().execute(chainValues) as Promise<ChainRow[]>) : null,
        a.rows.transfer_chain ? null : countOf(q.chainCount().execute(chainValues)),
        a.rows.invalid_burst ? bursts(eventId, a.burstCount) : null,
        a.rows.invalid_burst ? null : countOf(q.burstCount().execute(burstValues)),
      ]);
      return {
        double_entry: { count: doubleCount, rows: doubles },
        transfer_chain: { count: chainRows?.length ?? chainCount ?? 0, rows: chainRows ?? [] },
        invalid_burst: { count: burstRows?.length ?? burstCount ?? 0, rows: burstRows ?? [] },
      };
    },
  };
}
