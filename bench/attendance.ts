// GET /stats/attendance, /stats/timeline and /stats/gates of an event of 1,000,000 scans
// against the same routes on an event of 1,000 scans of the same shape (six hours up to the
// moment of seeding, 20 gates, 80 scanners: bench/support/entry-flow-plan.ts), both in one
// database per backend, seeded in SQL with the aggregates computed by the migration's own
// backfill. The issue's figure: read cost flat in data size. The six requests (three routes,
// two events) are made in turn, round after round, so drift on a shared machine and the
// sliding "last 5/15 minutes" of the gates reach all of them alike. In the same rounds, a
// gate's admission check (GET /admissions/{ticket_id}) against GET /health.
import { performance } from "node:perf_hooks";
import { type Backend, withServer } from "./support/backends.js";
import {
  type EntryFlowPlan,
  entryFlowPlan,
  flowEvents,
  GATES,
  type RawCounts,
  SCANNERS,
} from "./support/entry-flow-plan.js";
import { getJson, type LatencyStats, sequentialLatency } from "./support/latency.js";
import { note, timed } from "./support/progress.js";
import { atMost, fmt, markdownTable, ms, type ResultRow } from "./support/results.js";
import { type Section, sectionText } from "./support/sections.js";

export interface AttendanceOptions {
  /** Scans of the big event (1,000,000). */
  bigScans: number;
  /** Timed rounds (a request of each route on each event), after `warmup` untimed ones. */
  samples: number;
  warmup: number;
}

/** What one backend's run found, besides its rows: for the section's notes. */
export interface AttendanceRun {
  rows: ResultRow[];
  detail: string;
}

const TARGET = 1.2;
/** GET /admissions/{ticket_id} against GET /health on the same server: a gate's check must be fast. */
const ADMISSION_TARGET = 2;
/** Timeline: the default request (bucket 5m, the event's own span). */
const ROUTES = { attendance: "/stats/attendance", timeline: "/stats/timeline", gates: "/stats/gates" };
type Route = keyof typeof ROUTES;
const count = (n: number) => n.toLocaleString("en-US");

async function checkSeed(url: string, plan: EntryFlowPlan, raw: Map<string, RawCounts>): Promise<void> {
  for (const e of flowEvents(plan)) {
    const rows = raw.get(e.id);
    if (rows?.scans !== e.scans)
      throw new Error(`${e.id}: ${rows?.scans ?? 0} raw scans, expected ${e.scans}`);
    const a = await getJson<{ admitted_count: number; valid_scan_count: number; invalid_scan_count: number }>(
      `${url}/stats/attendance?event_id=${e.id}`,
    );
    if (a.admitted_count !== rows.admitted)
      throw new Error(
        `${e.id}: admitted_count ${a.admitted_count}, but ${rows.admitted} tickets have a valid scan`,
      );
    if (a.valid_scan_count + a.invalid_scan_count !== e.scans)
      throw new Error(
        `${e.id}: ${a.valid_scan_count} valid + ${a.invalid_scan_count} invalid, expected ${e.scans}`,
      );
  }
}

/** The event's first entries of the last 15 and 5 minutes, as GET /stats/gates answers now. */
async function recentEntries(url: string, eventId: string): Promise<string> {
  const { gates } = await getJson<{ gates: { entries_last_5_min: number; entries_last_15_min: number }[] }>(
    `${url}/stats/gates?event_id=${eventId}`,
  );
  const sum = (f: (g: (typeof gates)[number]) => number) => gates.reduce((n, g) => n + f(g), 0);
  return `${count(sum((g) => g.entries_last_15_min))} (${count(sum((g) => g.entries_last_5_min))})`;
}

function routeRows(
  route: Route,
  backend: Backend,
  plan: EntryFlowPlan,
  big: LatencyStats,
  small: LatencyStats,
) {
  const sizes = [plan.big, plan.small].map((e) => `${count(e.scans)} scans`);
  return (["p50", "p99"] as const).map(
    (p): ResultRow => ({
      benchmark: `GET ${ROUTES[route]}, ${p}`,
      backend,
      measured: `${ms(big[p])} (${sizes[0]})`,
      reference: `${ms(small[p])} (${sizes[1]})`,
      ...atMost(big[p] / small[p], TARGET),
    }),
  );
}

/** GET /admissions of an admitted ticket of the big event, p50 against GET /health's. */
function admissionRow(backend: Backend, plan: EntryFlowPlan, admission: LatencyStats, health: LatencyStats) {
  return {
    benchmark: "GET /admissions/{ticket_id}, p50",
    backend,
    measured: `${ms(admission.p50)} (${count(plan.big.tickets)} tickets admitted)`,
    reference: `${ms(health.p50)} (GET /health)`,
    ...atMost(admission.p50 / health.p50, ADMISSION_TARGET),
  } satisfies ResultRow;
}

export async function attendanceLatency(backend: Backend, opts: AttendanceOptions): Promise<AttendanceRun> {
  let seeded: { plan: EntryFlowPlan; raw: Map<string, RawCounts>; seconds: number } | undefined;
  return withServer(
    backend,
    "attendance",
    async (server) => {
      if (!seeded) throw new Error("not seeded");
      const { plan, raw } = seeded;
      await checkSeed(server.url, plan, raw);
      const targets: Record<string, string> = {};
      for (const route of Object.keys(ROUTES) as Route[])
        for (const e of flowEvents(plan))
          targets[`${route} ${e.id}`] = `${server.url}${ROUTES[route]}?event_id=${e.id}`;
      // A gate's online check, in the same rounds: a ticket of the big event, admitted.
      targets.admission = `${server.url}/admissions/T-12345?event_id=${plan.big.id}`;
      targets.health = `${server.url}/health`;
      const checked = await getJson<{ admitted: boolean }>(targets.admission);
      if (!checked.admitted) throw new Error(`${targets.admission}: not admitted`);
      const windows = async () => {
        const age = fmt((Date.now() - plan.endMs) / 1000, 0);
        const [big, small] = [
          await recentEntries(server.url, plan.big.id),
          await recentEntries(server.url, plan.small.id),
        ];
        return `${big} / ${small} (${age} s after the last scan)`;
      };
      note(
        `entry-flow reads on ${backend}: ${opts.samples} rounds of 3 routes x 2 events, an admission, /health`,
      );
      const before = await windows();
      const started = performance.now();
      // At least a whole minute of rounds: the gates' window edges (the part of a minute at
      // each window's start, read entry by entry) grow and shrink with the second of the
      // minute, and a shorter run would time whichever part of that cycle it fell on.
      const times = await sequentialLatency(targets, { ...opts, minMs: 60_000 });
      const seconds = (performance.now() - started) / 1000;
      const after = await windows();
      const of = (route: Route, id: string) => times[`${route} ${id}`] as LatencyStats;
      return {
        rows: [
          ...(Object.keys(ROUTES) as Route[]).flatMap((route) =>
            routeRows(route, backend, plan, of(route, plan.big.id), of(route, plan.small.id)),
          ),
          admissionRow(backend, plan, times.admission as LatencyStats, times.health as LatencyStats),
        ],
        detail:
          `${backend}: seeding ${fmt(seeded.seconds, 1)} s, timing ${fmt(seconds, 0)} s (${count((times.health as LatencyStats).samples)} rounds); first entries in the last ` +
          `15 min (last 5 min) by GET /stats/gates, big / small event: ${before} at the start, ${after} at the end`,
      };
    },
    async (db) => {
      const plan = entryFlowPlan(opts.bigScans, Date.now());
      const scans = count(plan.big.scans + plan.small.scans);
      const started = performance.now();
      const raw = await timed(`seeding ${backend}: ${scans} scans and their aggregates`, () =>
        db.seedEntryFlow(plan),
      );
      seeded = { plan, raw, seconds: (performance.now() - started) / 1000 };
    },
  );
}

/** Where the entry-flow section of bench/RESULTS.md starts, and BENCH_ONLY's name for it. */
export const ATTENDANCE_SECTION: Section = {
  name: "attendance",
  heading: "## Entry flow reads (GET /stats/attendance, /stats/timeline, /stats/gates)",
};

/** The section: its table and how it was measured. */
export function attendanceSection(
  runs: AttendanceRun[],
  run: { command: string; bigScans: number; samples: number; warmup: number },
): string {
  const plan = entryFlowPlan(run.bigScans, 0);
  return sectionText(
    ATTENDANCE_SECTION,
    `Produced by \`${run.command}\` on ${new Date().toISOString()}
(BENCH_ONLY=attendance rewrites this section alone).

${markdownTable(runs.flatMap((r) => r.rows))}

- **The events**, in one database per backend: ${count(plan.big.scans)} scans of ${count(plan.big.tickets)} tickets, and
  ${count(plan.small.scans)} scans of ${count(plan.small.tickets)} tickets, each over the six hours up to the moment of
  seeding (doors open now), at ${GATES} gates with ${SCANNERS} scanners (each at one gate), ~2% invalid. Each
  ticket arrives once, at a time spread evenly over the six hours, and is scanned again
  (re-entries) at times between its arrival and now, so first entries keep coming until
  now. The scans are seeded directly in SQL (after the migrations, applied by the
  project's own store), then analytics_stats from them, then the entry-flow and signal
  aggregates by the backfill statements of the migrations (\`drizzle/<dialect>/*.sql\`), read from those files;
  Postgres is then VACUUM ANALYZEd. Checked before timing: each event's admitted_count
  (GET /stats/attendance) equals count(DISTINCT ticket_id) of its valid raw scans, and its
  valid and invalid scans add up to its scans.
- **Timing**: ${run.warmup} untimed rounds, then ${count(run.samples)} rounds (more if needed to last a minute: the gates'
  window edges cycle with the second of the minute) of six sequential requests (each route
  on each event; the order reversed every other round) to the real server in a child
  process, with the reader's token; GET /stats/timeline is the default request (bucket 5m,
  the event's own span: about 72 points). Shown: p50 and p99 of each route on the big event
  against the same on the small one.
- **GET /admissions/{ticket_id}** (a gate's online check, never cached): ticket T-12345 of
  the big event (admitted), in the same rounds, its p50 against GET /health's on the same
  server (target: at most ${ADMISSION_TARGET}×).
- Seeding (scans, analytics_stats, the backfill; Postgres's VACUUM ANALYZE) and timing, per backend:
${runs.map((r) => `  - ${r.detail}.`).join("\n")}`,
  );
}
