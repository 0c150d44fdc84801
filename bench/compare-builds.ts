// Same-day A/B of two builds: POST /scans (or GET /stats?event_id) under 32 clients on one
// backend, the other build's server (a built `git worktree` of an older commit, say) against
// this one's, in interleaved rounds, each on a fresh database. Shown: median requests/s and
// CPU per request of each server process, and on Postgres of the `postgres` processes too.
//   BENCH_OLD=/tmp/old-worktree [BENCH_BACKEND=postgres] [BENCH_ROUNDS=10] \
//   [BENCH_ROUTE=stats] [BENCH_CONNECTIONS=1] npx tsx bench/compare-builds.ts
// (BENCH_CONNECTIONS=1: one client, one request at a time, for a lone request's latency.)
import { freePort } from "../test/support/ports.js";
import { scanBody, seedIngestEvent } from "./ingest-throughput.js";
import { serverAuthEnv } from "./support/auth.js";
import type { Backend } from "./support/backends.js";
import { startScript } from "./support/child-server.js";
import { cpuMicros, fire, median, processesNamed } from "./support/load.js";
import { createBenchDatabase } from "./support/postgres.js";
import { tempSqliteFile } from "./support/sqlite-file.js";

const OLD = process.env.BENCH_OLD;
if (!OLD) throw new Error("BENCH_OLD: the directory of the other build (a built git worktree)");
const backend = (process.env.BENCH_BACKEND ?? "sqlite") as Backend;
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** The route under load: a distinct ticket per POST, or the ingest event's figures (cpu.ts's pair). */
const route =
  process.env.BENCH_ROUTE === "stats"
    ? { name: "GET /stats?event_id", path: "/stats?event_id=bench-ingest", load: {} }
    : { name: "POST /scans", path: "/scans", load: { body: scanBody } };
const NEW = new URL("..", import.meta.url).pathname;

/** The Postgres server's CPU (its backends come and go with connections). */
const postgresCpu = (pids: number[]) =>
  pids.reduce((sum, pid) => {
    try {
      return sum + cpuMicros(pid);
    } catch {
      return sum; // ended meanwhile
    }
  }, 0);

async function start(dir: string, label: string) {
  const port = await freePort();
  const db =
    backend === "sqlite"
      ? (() => {
          const file = tempSqliteFile(label);
          return { env: { SQLITE_PATH: file.path, DATABASE_URL: "" }, drop: async () => file.remove() };
        })()
      : await createBenchDatabase(label).then((d) => ({
          env: { DATABASE_URL: d.url, SQLITE_PATH: "" },
          drop: () => d.drop(),
        }));
  const url = `http://127.0.0.1:${port}`;
  const env = { ...db.env, HOST: "127.0.0.1", PORT: String(port), ...serverAuthEnv() };
  const server = await startScript(`${dir}/dist/server.js`, label, env, url);
  if (!("body" in route.load)) await seedIngestEvent(url, 100); // something to count
  return {
    server,
    drop: db.drop,
    rps: [] as number[],
    cpu: [] as number[],
    p50: [] as number[],
    p99: [] as number[],
    pg: [] as number[],
  };
}

const sides = { old: await start(OLD, "compare_old"), new: await start(NEW, "compare_new") };
try {
  for (const s of Object.values(sides))
    await fire(`${s.server.url}${route.path}`, { connections, ...route.load }, 2);
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 ? (["new", "old"] as const) : (["old", "new"] as const)) {
      const s = sides[name];
      const pids = backend === "postgres" ? processesNamed("postgres") : [];
      const before = postgresCpu(pids);
      const r = await fire(`${s.server.url}${route.path}`, { connections, ...route.load }, 3, s.server.pid);
      s.rps.push(r.requestsPerSecond);
      s.cpu.push(r.cpuMicrosPerRequest);
      s.p50.push(r.latencyP50Ms);
      s.p99.push(r.latencyP99Ms);
      if (pids.length) s.pg.push((postgresCpu(pids) - before) / r.requests);
    }
  }
  for (const [name, s] of Object.entries(sides)) {
    const pg = s.pg.length ? `, postgres ${median(s.pg).toFixed(0)} µs CPU per request` : "";
    console.log(
      `${route.name}, ${backend} ${name}: ${median(s.rps).toFixed(0)} req/s (p50 ${median(s.p50)}, p99 ${median(s.p99)} ms), server ${median(s.cpu).toFixed(0)} µs CPU per request${pg}; rounds ${s.rps.map(Math.round).join(", ")}`,
    );
  }
} finally {
  for (const s of Object.values(sides)) {
    await s.server.stop();
    await s.drop();
  }
}
