// Figures 2 and 3, on one seeded database per backend:
// - GET /stats?event_id=E with 1,000,000 raw records in the event vs with 1,000 (the
//   two requested in turn, so drift hits both alike);
// - GET /stats (all events) over 1,000 events, against a bare Hono GET route.
import type { Backend } from "./support/backends.js";
import { withServer } from "./support/backends.js";
import type { ChildServer } from "./support/child-server.js";
import { getJson, sequentialLatency } from "./support/latency.js";
import { note, timed } from "./support/progress.js";
import { atMost, ms, type ResultRow } from "./support/results.js";
import { type SeedPlan, seedPlan, totalRecords } from "./support/seed-plan.js";

export interface StatsOptions {
  /** Raw records of the big event (1,000,000). */
  bigRecords: number;
  /** Timed requests per target, after `warmup` untimed ones. */
  samples: number;
  warmup: number;
  /** Timed requests of GET /stats (all events), which answers ~1,000 events each time. */
  allSamples: number;
}

const fmtCount = (n: number) => n.toLocaleString("en-US");

async function checkSeed(url: string, plan: SeedPlan): Promise<void> {
  for (const e of [plan.big, plan.small]) {
    const s = await getJson<{ scan_count: number }>(`${url}/stats?event_id=${e.id}`);
    if (s.scan_count !== e.records) throw new Error(`${e.id}: ${s.scan_count} scans, expected ${e.records}`);
  }
  const all = await getJson<Record<string, unknown>>(`${url}/stats`);
  const events = Object.keys(all).length;
  if (events !== plan.events) throw new Error(`GET /stats: ${events} events, expected ${plan.events}`);
}

export async function statsLatency(
  backend: Backend,
  bare: ChildServer,
  opts: StatsOptions,
): Promise<ResultRow[]> {
  const plan = seedPlan(opts.bigRecords);
  return withServer(
    backend,
    "stats",
    async (server) => {
      await checkSeed(server.url, plan);
      note(`GET /stats?event_id on ${backend}: ${opts.samples} x 2 sequential requests`);
      const one = await sequentialLatency(
        {
          big: `${server.url}/stats?event_id=${plan.big.id}`,
          small: `${server.url}/stats?event_id=${plan.small.id}`,
        },
        { warmup: opts.warmup, samples: opts.samples },
      );
      note(`GET /stats (all events) on ${backend}: ${opts.allSamples} sequential requests`);
      const all = await sequentialLatency(
        { all: `${server.url}/stats`, bare: `${bare.url}/bare` },
        { warmup: Math.min(opts.warmup, 50), samples: opts.allSamples },
      );
      const big = `${fmtCount(plan.big.records)} records`;
      const small = `${fmtCount(plan.small.records)} records`;
      return [
        {
          benchmark: "GET /stats?event_id, p50",
          backend,
          measured: `${ms(one.big.p50)} (${big})`,
          reference: `${ms(one.small.p50)} (${small})`,
          ...atMost(one.big.p50 / one.small.p50, 1.2),
        },
        {
          benchmark: "GET /stats?event_id, p99",
          backend,
          measured: `${ms(one.big.p99)} (${big})`,
          reference: `${ms(one.small.p99)} (${small})`,
          ...atMost(one.big.p99 / one.small.p99, 1.2),
        },
        {
          benchmark: `GET /stats (all), ${fmtCount(plan.events)} events`,
          backend,
          measured: `p50 ${ms(all.all.p50)}, p99 ${ms(all.all.p99)}`,
          reference: `p50 ${ms(all.bare.p50)}, p99 ${ms(all.bare.p99)} (bare GET)`,
          ratio: all.all.p50 / all.bare.p50,
          target: "",
          ok: null,
        },
      ];
    },
    (db) => timed(`seeding ${backend}: ${fmtCount(totalRecords(plan))} scans`, () => db.seed(plan)),
  );
}
