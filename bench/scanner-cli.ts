// Start-up of the gate device's CLI: a gate runs `veritix-scanner record` as a whole
// process per scan. Measured as the device runs it (the compiled bin, plain node, a real
// buffer file in a temp directory), alternating with `node -e 0`, the floor of any Node
// process, in the same run. Wall time from spawn to exit (medians), and each process's
// max RSS from /usr/bin/time (%M; spawnSync reports no memory). Budget: a median at most
// 2.5x node -e 0's, and no run above 60 MB.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { percentile } from "./support/latency.js";
import { note } from "./support/progress.js";
import { atMost, fmt, type ResultRow } from "./support/results.js";
import { tempSqliteFile } from "./support/sqlite-file.js";

const BIN = fileURLToPath(new URL("../scanner-sync/bin/veritix-scanner.js", import.meta.url));
const DIST = fileURLToPath(new URL("../scanner-sync/dist/cli.js", import.meta.url));
const TIME = "/usr/bin/time";
const WALL_TARGET = 2.5;
/** In MB as the budget was set: %M (KiB) / 1000, the stricter reading of "60 MB". */
const RSS_BUDGET_MB = 60;

export interface CliStartupOptions {
  /** Timed runs of each, after `warmup` untimed ones (page cache, disk). */
  runs: number;
  warmup: number;
}

interface Run {
  ms: number;
  mb: number;
}

function timedRun(args: string[], env: NodeJS.ProcessEnv, rssFile: string): Run {
  const start = performance.now();
  const r = spawnSync(TIME, ["-f", "%M", "-o", rssFile, process.execPath, ...args], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const kib = Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1));
  return { ms, mb: kib / 1000 };
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const secs = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

export async function cliStartup(opts: CliStartupOptions): Promise<ResultRow[]> {
  if (!existsSync(DIST)) throw new Error(`no ${DIST}: run \`npm run build\` first`);
  if (!existsSync(TIME)) throw new Error(`no ${TIME} (Debian: apt-get install time)`);
  note(`veritix-scanner record vs node -e 0: ${opts.warmup} + ${opts.runs} whole processes each, in turn`);
  const file = tempSqliteFile("cli");
  const rssFile = `${file.path}.rss`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    SCANNER_DB: file.path,
    SCANNER_ID: "gate-bench-cli",
  };
  try {
    const floor = () => timedRun(["-e", "0"], env, rssFile);
    const record = (n: number) =>
      timedRun([BIN, "record", "--event-id", "bench-cli", "--ticket-id", `t-${n}`], env, rssFile);
    record(-1); // creates the buffer file: every timed run records into an existing one
    const runs = { floor: [] as Run[], record: [] as Run[] };
    for (let n = 0; n < opts.warmup + opts.runs; n++) {
      // Alternate which goes first, so neither always runs right after the other.
      let f: Run;
      let r: Run;
      if (n % 2 === 0) {
        f = floor();
        r = record(n);
      } else {
        r = record(n);
        f = floor();
      }
      if (n < opts.warmup) continue;
      runs.floor.push(f);
      runs.record.push(r);
    }
    const wall = { floor: median(runs.floor.map((r) => r.ms)), record: median(runs.record.map((r) => r.ms)) };
    const rss = {
      floor: Math.max(...runs.floor.map((r) => r.mb)),
      record: Math.max(...runs.record.map((r) => r.mb)),
      recordMedian: median(runs.record.map((r) => r.mb)),
    };
    note(
      `  record ${secs(wall.record)}, ${fmt(rss.record, 1)} MB; node -e 0 ${secs(wall.floor)}, ${fmt(rss.floor, 1)} MB`,
    );
    return [
      {
        benchmark: "veritix-scanner record, whole process: wall",
        backend: "sqlite (device)",
        measured: `${secs(wall.record)} (median of ${opts.runs})`,
        reference: `${secs(wall.floor)} (node -e 0, median of ${opts.runs})`,
        ...atMost(wall.record / wall.floor, WALL_TARGET),
      },
      {
        benchmark: "veritix-scanner record, whole process: max RSS",
        backend: "sqlite (device)",
        measured: `${fmt(rss.record, 1)} MB (highest of ${opts.runs}; median ${fmt(rss.recordMedian, 1)} MB)`,
        reference: `${fmt(rss.floor, 1)} MB (node -e 0, highest)`,
        ratio: rss.record / rss.floor,
        target: `<= ${RSS_BUDGET_MB} MB`,
        ok: rss.record <= RSS_BUDGET_MB,
      },
    ];
  } finally {
    file.remove();
  }
}
