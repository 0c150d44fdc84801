// What the stats benchmarks seed, the same on both databases: one event with many raw
// scans, one with few, and filler events so that GET /stats (all) covers 1,000 events.
// Every row is a scan; analytics_stats is then computed from the rows themselves, one row
// per (event_id, stat_date), so the stats equal the raw records exactly.

export const DAY_MS = 86_400_000;
/** Midnight UTC of the first day the seeded scans happened on. */
export const BASE_MS = Date.UTC(2025, 2, 1);

export interface SeedGroup {
  /** uuid and ticket numbers of this group start here (unique across groups). */
  offset: number;
  records: number;
  /** Scans spread over this many consecutive UTC days. */
  days: number;
  /** One event id, or `events` ids `${prefix}0000` ... sharing the records evenly. */
  event: { id: string } | { prefix: string; events: number };
}

export interface SeedPlan {
  big: { id: string; records: number };
  small: { id: string; records: number };
  events: number;
  groups: SeedGroup[];
}

export function seedPlan(bigRecords: number): SeedPlan {
  const big = { id: "bench-big", records: bigRecords };
  const small = { id: "bench-small", records: 1_000 };
  const filler = { prefix: "bench-evt-", events: 998, perEvent: 100 };
  return {
    big,
    small,
    events: 2 + filler.events,
    groups: [
      { offset: 0, records: big.records, days: 30, event: { id: big.id } },
      { offset: big.records, records: small.records, days: 30, event: { id: small.id } },
      {
        offset: big.records + small.records,
        records: filler.events * filler.perEvent,
        days: 3,
        event: { prefix: filler.prefix, events: filler.events },
      },
    ],
  };
}

export const totalRecords = (plan: SeedPlan) => plan.groups.reduce((n, g) => n + g.records, 0);

/** Rows per event in a group (the last event takes the remainder). */
export const perEvent = (g: SeedGroup) =>
  "id" in g.event ? g.records : Math.ceil(g.records / g.event.events);

/** SQL string literal (the plan's ids are plain ASCII; quotes are doubled anyway). */
export const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
