// GET /stats/alerts of an event of 1,000,000 scans in which 1% of the tickets entered twice,
// against the same route on an event of 1,000 scans of the same shape, both in one
// database per backend, seeded in SQL with the aggregates computed by the migrations' own
// backfills (the entry-flow benchmark's seeding: ./support/entry-flow-plan.ts, one ticket
// per 1.01 scans). The issue's figure: the listing's cost does not grow with the event.
import { performance } from "node:perf_hooks";
import { type Backend, withServer } from "./support/backends.js";
import { type EntryFlowPlan, entryFlowPlan, flowEvents, type RawCounts } from "./support/entry-flow-plan.js";
import { getJson, type LatencyStats, sequentialLatency } from "./support/latency.js";
import { note, timed } from "./support/progress.js";
import { atMost, fmt, markdownTable, ms, type ResultRow } from "./support/results.js";
import { type Section, sectionText } from "./support/sections.js";

export interface AlertsOptions {
  /** Scans of the big event (1,000,000). */
  bigScans: number;
  samples: number;
  warmup: number;
}

export interface AlertsRun {
  rows: ResultRow[];
  detail: string;
}

const TARGET = 1.2;
/** A page both events fill. */
const SAME_PAGE = 5;
/** 1% of the tickets scanned twice: 101 scans per 100 tickets. */
const TICKETS_PER_SCAN = 1 / 1.01;
const count = (n: number) => n.toLocaleString("en-US");

interface AlertsAnswer {
  summary: { double_entry: number; transfer_chain: number; invalid_burst: number };
  alerts: unknown[];
}

/** Before timing: the double entries are there, about as many as the plan's second scans. */
async function checkSeed(url: string, plan: EntryFlowPlan, raw: Map<string, RawCounts>): Promise<string[]> {
  const found: string[] = [];
  for (const e of flowEvents(plan)) {
    if (raw.get(e.id)?.scans !== e.scans) throw new Error(`${e.id}: ${raw.get(e.id)?.scans ?? 0} raw scans`);
    const a = await getJson<AlertsAnswer>(`${url}/stats/alerts?event_id=${e.id}`);
    const twice = e.scans - e.tickets;
    // A ticket whose second scan (or first) is one of the ~2% invalid ones is no double entry.
    if (a.summary.double_entry < twice * 0.9 || a.summary.double_entry > twice)
      throw new Error(`${e.id}: ${a.summary.double_entry} double entries, expected about ${twice}`);
    if (a.alerts.length !== Math.min(50, a.summary.double_entry + a.summary.invalid_burst))
      throw new Error(`${e.id}: a page of ${a.alerts.length} alerts`);
    found.push(`${e.id}: ${count(a.summary.double_entry)} double entries, ${a.summary.invalid_burst} bursts`);
  }
  return found;
}

export async function alertsLatency(backend: Backend, opts: AlertsOptions): Promise<AlertsRun> {
  let seeded: { plan: EntryFlowPlan; raw: Map<string, RawCounts>; seconds: number } | undefined;
  return withServer(
    backend,
    "alerts",
    async (server) => {
      if (!seeded) throw new Error("not seeded");
      const { plan, raw } = seeded;
      const found = await checkSeed(server.url, plan, raw);
      const targets: Record<string, string> = {};
      for (const e of flowEvents(plan)) {
        targets[e.id] = `${server.url}/stats/alerts?event_id=${e.id}`;
        // Pages of one size on both events: the small one has only ~9 alerts for the default 50.
        targets[`${e.id} page`] = `${server.url}/stats/alerts?event_id=${e.id}&limit=${SAME_PAGE}`;
      }
      note(`GET /stats/alerts on ${backend}: ${opts.samples} rounds of 2 events`);
      const started = performance.now();
      const times = await sequentialLatency(targets, opts);
      const seconds = (performance.now() - started) / 1000;
      const [big, small, bigPage, smallPage] = [
        plan.big.id,
        plan.small.id,
        `${plan.big.id} page`,
        `${plan.small.id} page`,
      ].map((k) => times[k]) as LatencyStats[];
      if (!big || !small || !bigPage || !smallPage) throw new Error("no timings");
      const sizes = [plan.big, plan.small].map((e) => `${count(e.scans)} scans`);
      const samePage: ResultRow = {
        benchmark: `GET /stats/alerts?limit=${SAME_PAGE}, p50`,
        backend,
        measured: `${ms(bigPage.p50)} (${sizes[0]})`,
        reference: `${ms(smallPage.p50)} (${sizes[1]})`,
        ...atMost(bigPage.p50 / smallPage.p50, TARGET),
      };
      return {
        rows: [
          ...(["p50", "p99"] as const).map(
            (p): ResultRow => ({
              benchmark: `GET /stats/alerts, ${p}`,
              backend,
              measured: `${ms(big[p])} (${sizes[0]})`,
              reference: `${ms(small[p])} (${sizes[1]})`,
              ...(p === "p50"
                ? atMost(big[p] / small[p], TARGET)
                : { ratio: big[p] / small[p], target: "", ok: null }),
            }),
          ),
          samePage,
        ],
        detail: `${backend}: seeding ${fmt(seeded.seconds, 1)} s, timing ${fmt(seconds, 0)} s; ${found.join("; ")}`,
      };
    },
    async (db) => {
      const plan = entryFlowPlan(opts.bigScans, Date.now(), TICKETS_PER_SCAN);
      const started = performance.now();
      const raw = await timed(`seeding ${backend}: ${count(plan.big.scans + plan.small.scans)} scans`, () =>
        db.seedEntryFlow(plan),
      );
      seeded = { plan, raw, seconds: (performance.now() - started) / 1000 };
    },
  );
}

export const ALERTS_SECTION: Section = {
  name: "alerts",
  heading: "## Alerts (GET /stats/alerts)",
};

export function alertsSection(
  runs: AlertsRun[],
  run: { command: string; bigScans: number; samples: number; warmup: number },
): string {
  const plan = entryFlowPlan(run.bigScans, 0, TICKETS_PER_SCAN);
  return sectionText(
    ALERTS_SECTION,
    `Produced by \`${run.command}\` on ${new Date().toISOString()}
(BENCH_ONLY=alerts rewrites this section alone).

${markdownTable(runs.flatMap((r) => r.rows))}

- **The events**, in one database per backend: ${count(plan.big.scans)} scans of ${count(plan.big.tickets)} tickets
  (${count(plan.big.scans - plan.big.tickets)} of them, 1%, scanned twice), and ${count(plan.small.scans)} scans of
  ${count(plan.small.tickets)} tickets, the entry-flow benchmark's shape otherwise (six hours up to
  the moment of seeding, 20 gates, 80 scanners, ~2% invalid), seeded in SQL with the
  aggregates by the migrations' own backfills. Checked before timing: each event's
  double-entry count is about its second scans (a ticket with an invalid one is none) and
  a page holds 50 alerts.
- **Timing**: ${run.warmup} untimed rounds, then ${count(run.samples)} rounds of the default request
  (\`GET /stats/alerts?event_id=…\`: every kind, the newest 50, with the summary) on each
  event in turn, with the reader's token, to the real server in a child process. Shown:
  p50 (target: at most ${TARGET}×) and p99 on the big event against the small one. In the
  same rounds, \`limit=${SAME_PAGE}\` on both: the default page holds 50 alerts on the big event
  but only the small one's ~9, so that row compares equal work per answer.
- Seeding and timing, per backend:
${runs.map((r) => `  - ${r.detail}.`).join("\n")}`,
  );
}
