// What scoped access costs (issue 14): a gate device's drain through POST /sync with its
// signed scanner token (revocable: every batch is checked against the revocations by the
// statement that stores it) against the same drain with an API_TOKENS ingest token, and
// GET /stats?event_id with an event-scoped reader token against the API reader token.
// Same server, same run, in alternating rounds; the server holds revocations of other
// scanners, as one that has lost some devices would. Target: ratios >= 0.95.
import { performance } from "node:perf_hooks";
import { ScanBuffer, Uploader } from "../scanner-sync/src/index.js";
import { apiToken, OPEN, readerToken, scannerToken } from "./support/auth.js";
import { type Backend, withServer } from "./support/backends.js";
import { benchScan } from "./support/drain-data.js";
import { getJson, percentile, sequentialLatency } from "./support/latency.js";
import { note } from "./support/progress.js";
import { atLeast, markdownTable, ms, type ResultRow } from "./support/results.js";
import { producedBy, type Section, sectionText } from "./support/sections.js";
import { tempSqliteFile } from "./support/sqlite-file.js";

export const ACCESS_SECTION: Section = {
  name: "access",
  heading: "## Scoped access (signed tokens against API_TOKENS)",
};

export interface AccessOptions {
  /** Scans per drain. */
  records: number;
  batchSize: number;
  /** Round pairs: one drain with each token, in alternating order. */
  rounds: number;
  /** Other scanners revoked before the clock starts. */
  revoked: number;
  samples: number;
  warmup: number;
}

const TARGET = 0.95;
const SCANNER = "gate-access-01";
const count = (n: number) => n.toLocaleString("en-US");
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** A device's buffer of `records` fresh scans (new uuids) of `event`, filled in one local transaction. */
function freshBuffer(records: number, event: string) {
  const file = tempSqliteFile("access-device");
  const buffer = ScanBuffer.open({ path: file.path, scannerId: SCANNER });
  const { imported } = buffer.importNdjson(
    Array.from({ length: records }, (_, n) => JSON.stringify(benchScan(n, event))).join("\n"),
  );
  if (imported !== records) throw new Error(`imported ${imported} scans, expected ${records}`);
  return {
    buffer,
    remove() {
      buffer.close();
      file.remove();
    },
  };
}

/** One drain of fresh scans with `token`; its time in ms (the buffer's filling untimed). */
async function drain(url: string, token: string, event: string, opts: AccessOptions): Promise<number> {
  const device = freshBuffer(opts.records, event);
  try {
    const uploader = new Uploader({ buffer: device.buffer, url, batchSize: opts.batchSize, token });
    const start = performance.now();
    const r = await uploader.drain();
    const took = performance.now() - start;
    if (r.accepted !== opts.records || r.pending !== 0) throw new Error(`drain: ${JSON.stringify(r)}`);
    const s = await getJson<{ scan_count: number }>(`${url}/stats?event_id=${event}`);
    if (s.scan_count !== opts.records) throw new Error(`GET /stats counts ${s.scan_count} of ${event}`);
    return took;
  } finally {
    device.remove();
  }
}

async function revokeOthers(url: string, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/admin/revocations`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiToken("admin")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ scanner_id: `gate-lost-${i}` }),
    });
    if (res.status !== 200) throw new Error(`POST /admin/revocations: ${res.status}`);
  }
}

export async function accessBench(backend: Backend, opts: AccessOptions): Promise<ResultRow[]> {
  if (OPEN) throw new Error("the access benchmark compares tokens: it cannot run open (BENCH_OPEN=1)");
  return withServer(backend, "access", async (server) => {
    note(`access (${backend}): ${count(opts.revoked)} other scanners revoked, then warm-up`);
    await revokeOthers(server.url, opts.revoked);
    const signed = await scannerToken(SCANNER);
    if (!signed) throw new Error("no scanner token");
    const ingest = apiToken("ingest");
    await drain(server.url, signed, `access-warmup-${backend}-a`, opts);
    await drain(server.url, ingest, `access-warmup-${backend}-b`, opts);

    const times = { signed: [] as number[], api: [] as number[] };
    const ratios: number[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      const order = r % 2 === 0 ? (["signed", "api"] as const) : (["api", "signed"] as const);
      const round: Record<string, number> = {};
      for (const kind of order) {
        round[kind] = await drain(
          server.url,
          kind === "signed" ? signed : ingest,
          `access-${r}-${kind}`,
          opts,
        );
        times[kind].push(round[kind] as number);
      }
      ratios.push((round.api as number) / (round.signed as number));
      note(`  round ${r + 1}: signed ${ms(round.signed as number)}, API token ${ms(round.api as number)}`);
    }

    // GET /stats?event_id of one drained event: a reader scoped to it against the API reader.
    const event = "access-0-signed";
    const scoped = await readerToken([event, "another-event"]);
    const url = `${server.url}/stats?event_id=${event}`;
    const lat = await sequentialLatency(
      { scoped: { url, token: scoped }, api: { url, token: apiToken("reader") } },
      { warmup: opts.warmup, samples: opts.samples },
    );
    note(`  GET /stats?event_id p50: scoped ${ms(lat.scoped.p50)}, API ${ms(lat.api.p50)}`);

    const scansPerSecond = (t: number) => `${count(Math.round(opts.records / (t / 1000)))} scans/s`;
    return [
      {
        benchmark: `drain ${count(opts.records)} scans, POST /sync, signed scanner token vs API token`,
        backend,
        measured: `${ms(median(times.signed))} (${scansPerSecond(median(times.signed))}), median of ${opts.rounds}`,
        reference: `${ms(median(times.api))} (${scansPerSecond(median(times.api))}), ingest API token`,
        ...atLeast(median(ratios), TARGET),
      },
      {
        benchmark: "GET /stats?event_id, p50, scoped reader token vs API token",
        backend,
        measured: `${ms(lat.scoped.p50)} (p99 ${ms(lat.scoped.p99)})`,
        reference: `${ms(lat.api.p50)} (p99 ${ms(lat.api.p99)}), reader API token`,
        ...atLeast(lat.api.p50 / lat.scoped.p50, TARGET),
      },
    ];
  });
}

export function accessSection(rows: ResultRow[], ctx: { command: string; opts: AccessOptions }): string {
  const { opts } = ctx;
  return sectionText(
    ACCESS_SECTION,
    `${producedBy(ACCESS_SECTION, ctx.command)}

${markdownTable(rows)}

- **drain**: a gate device (scanner-sync's ScanBuffer and Uploader, in the bench process)
  drains ${count(opts.records)} fresh scans (new uuids, an event of their own) in batches of ${opts.batchSize} to
  POST /sync of the real server (child process, fresh database), once with its signed
  scanner token and once with an API_TOKENS ingest token, in ${opts.rounds} alternating rounds after one
  warm-up drain of each. The signed token's sync carries the revocation check in the
  statement that stores it (Postgres: a CTE; SQLite: the first statement of its
  transaction); the ingest token's has none. The server holds revocations of ${count(opts.revoked)} other
  scanners. Shown: the median drain time of each; ratio: the median of the rounds' ratios
  (API token time / signed token time). GET /stats counts every drain exactly, or the row fails.
- **GET /stats?event_id**: ${opts.samples} sequential requests with each token, in turn, after
  ${opts.warmup} warm-up ones, on one drained event; the scoped token reads that event and one
  other. Ratio: API token p50 / scoped token p50. The check is the token's list of events,
  no database lookup.
- Round trips are counted by tests, not here: on Neon (test/workers/neon-round-trips.test.ts)
  a signed token's POST /sync makes the API token's 2 round trips (startup and one
  statement), revoked or not, and GET /admissions one statement; on D1
  (test/workers/d1-round-trips.test.ts) the same number of calls to the binding.`,
  );
}
