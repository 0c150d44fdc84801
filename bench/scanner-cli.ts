// Start-up of the gate device's CLI: a gate runs `veritix-scanner record` as a whole
// process per scan. Measured as the device runs it (the compiled bin, plain node, a real
// buffer file in a temp directory), alternating with `node -e 0`, the floor of any Node
// process, in the same run and the same env. Wall time from spawn to exit (medians), and
// each process's max RSS from /usr/bin/time (%M; spawnSync reports no memory). Budget: a
// median at most 2.5x node -e 0's, and no run above 60 MB.
//
// Twice: in this machine's env, as the budget was set, and in an env of PATH alone, as a
// service manager starts a process. Some variables cost every Node process the same
// fixed time, which flatters the ratio: NODE_EXTRA_CA_CERTS (set on the development
// machines) reads and parses a CA bundle at start-up, ~40 ms here.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { percentile } from "./support/latency.js";
import { note } from "./support/progress.js";
import { atMost, fmt, type ResultRow } from "./support/results.js";
import { tempSqliteFile } from "./support/sqlite-file.js";

const BIN = fileURLToPath(new URL("../scanner-sync/bin/veritix-scanner.cjs", import.meta.url));
const DIST = fileURLToPath(new URL("../scanner-sync/dist/cli.cjs", import.meta.url));
const TIME = "/usr/bin/time";
const WALL_TARGET = 2.5;
/** In MB as the budget was set: %M (KiB) / 1000, the stricter reading of "60 MB". */
const RSS_BUDGET_MB = 60;

export interface CliStartupOptions {
  /** Timed runs of each, after `warmup` untimed ones (page cache, disk), in each env. */
  runs: number;
  warmup: number;
}

interface Run {
  ms: number;
  mb: number;
}

interface Measured {
  wall: { floor: number; record: number };
  rss: { floor: number; record: number; recordMedian: number };
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

/** `record` into `db` and `node -e 0`, in turn (which goes first alternates), in `env`. */
function measure(env: NodeJS.ProcessEnv, db: string, opts: CliStartupOptions): Measured {
  const rssFile = `${db}.rss`;
  const scanner = { ...env, SCANNER_DB: db, SCANNER_ID: "gate-bench-cli" };
  const floor = () => timedRun(["-e", "0"], scanner, rssFile);
  const record = (n: number) =>
    timedRun([BIN, "record", "--event-id", "bench-cli", "--ticket-id", `t-${n}`], scanner, rssFile);
  record(-1); // creates the buffer file: every timed run records into an existing one
  const runs = { floor: [] as Run[], record: [] as Run[] };
  for (let n = 0; n < opts.warmup + opts.runs; n++) {
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
  return {
    wall: { floor: median(runs.floor.map((r) => r.ms)), record: median(runs.record.map((r) => r.ms)) },
    rss: {
      floor: Math.max(...runs.floor.map((r) => r.mb)),
      record: Math.max(...runs.record.map((r) => r.mb)),
      recordMedian: median(runs.record.map((r) => r.mb)),
    },
  };
}

export async function cliStartup(opts: CliStartupOptions): Promise<ResultRow[]> {
  if (!existsSync(DIST)) throw new Error(`no ${DIST}: run \`npm run build\` first`);
  if (!existsSync(TIME)) throw new Error(`no ${TIME} (Debian: apt-get install time)`);
  note(`veritix-scanner record vs node -e 0: ${opts.warmup} + ${opts.runs} whole processes each, in turn`);
  const machineEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(SCANNER_|SYNC_)/.test(k)),
  );
  const caCerts = machineEnv.NODE_EXTRA_CA_CERTS ? ", NODE_EXTRA_CA_CERTS set" : "";
  const file = tempSqliteFile("cli");
  try {
    const machine = measure(machineEnv, file.path, opts);
    const bare = measure({ PATH: process.env.PATH }, file.path, opts);
    for (const [label, m] of [
      ["this env", machine],
      ["PATH alone", bare],
    ] as const) {
      note(
        `  ${label}: record ${secs(m.wall.record)}, ${fmt(m.rss.record, 1)} MB; node -e 0 ${secs(m.wall.floor)}, ${fmt(m.rss.floor, 1)} MB`,
      );
    }
    const wallRow = (m: Measured, env: string): ResultRow => ({
      benchmark: `veritix-scanner record, whole process: wall (env: ${env})`,
      backend: "sqlite (device)",
      measured: `${secs(m.wall.record)} (median of ${opts.runs})`,
      reference: `${secs(m.wall.floor)} (node -e 0, median of ${opts.runs})`,
      ...atMost(m.wall.record / m.wall.floor, WALL_TARGET),
    });
    const rss = machine.rss.record >= bare.rss.record ? machine : bare;
    return [
      wallRow(machine, `this machine's${caCerts}`),
      wallRow(bare, "PATH alone"),
      {
        benchmark: "veritix-scanner record, whole process: max RSS",
        backend: "sqlite (device)",
        measured: `${fmt(rss.rss.record, 1)} MB (highest of ${2 * opts.runs}; median ${fmt(rss.rss.recordMedian, 1)} MB)`,
        reference: `${fmt(rss.rss.floor, 1)} MB (node -e 0, highest, same env)`,
        ratio: rss.rss.record / rss.rss.floor,
        target: `<= ${RSS_BUDGET_MB} MB`,
        ok: rss.rss.record <= RSS_BUDGET_MB,
      },
    ];
  } finally {
    file.remove();
  }
}
