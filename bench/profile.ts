// `npm run bench:profile`: where a request's CPU goes on the Node server, as users run it
// (tokens on, LOG_LEVEL=info, `node dist/server.js` in a child process). For POST /scans
// (a distinct ticket per request) and GET /stats?event_id, on SQLite and Postgres, and
// for the bare Hono route of the bench, 32 clients for BENCH_PROFILE_SECONDS (10) each: a V8
// CPU profile of every thread of the server (node --cpu-prof), read as the stages of a
// request (support/cpu-profile.ts), and the process's CPU time per request (/proc). Writes
// bench/PROFILE.md.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scanBody, seedIngestEvent } from "./ingest-throughput.js";
import { type Backend, withServer } from "./support/backends.js";
import { type ChildServer, startBareServer } from "./support/child-server.js";
import { stagesOf } from "./support/cpu-profile.js";
import { fire } from "./support/load.js";
import { postgresAvailable } from "./support/postgres.js";
import { note } from "./support/progress.js";
import { fmt } from "./support/results.js";

const SECONDS = Number(process.env.BENCH_PROFILE_SECONDS || 10);
const CONNECTIONS = 32;

interface Route {
  name: string;
  method: "GET" | "POST";
  path: string;
}
const SCANS: Route = { name: "POST /scans", method: "POST", path: "/scans" };
const STATS: Route = { name: "GET /stats?event_id", method: "GET", path: "/stats?event_id=bench-ingest" };

/** One profiled (or warm-up) run of `route` on `server`. */
const load = (server: ChildServer, route: Route) =>
  fire(
    `${server.url}${route.path}`,
    { connections: CONNECTIONS, ...(route.method === "POST" ? { body: scanBody } : {}) },
    SECONDS,
    server.pid,
  );

/** Runs `start`'s server under `route` with every thread profiled; the profiles' stages. */
async function profiled(
  label: string,
  route: Route,
  start: (run: (s: ChildServer) => Promise<void>) => Promise<void>,
) {
  const dir = mkdtempSync(join(tmpdir(), "veritix-profile-"));
  process.env.BENCH_CPU_PROF_DIR = dir;
  let measured: Awaited<ReturnType<typeof load>> | undefined;
  let requests = 0;
  try {
    await start(async (server) => {
      delete process.env.BENCH_CPU_PROF_DIR; // only the server under test
      // Something to read (GET /stats counts it), then a warm-up (JIT, connections, statements).
      if (route.method === "GET" && route.path !== "/bare") await seedIngestEvent(server.url, 100);
      const warm = await load(server, route);
      note(`${label}: ${route.name}, ${CONNECTIONS} clients, ${SECONDS} s, profiled`);
      measured = await load(server, route);
      requests = warm.requests + measured.requests;
    });
    const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
    const threads = files
      .map((f) => ({ thread: Number(f.split(".")[4]), ...stagesOf(join(dir, f)) }))
      .sort((a, b) => a.thread - b.thread);
    return { measured: measured as NonNullable<typeof measured>, requests, threads };
  } finally {
    delete process.env.BENCH_CPU_PROF_DIR;
    rmSync(dir, { recursive: true, force: true });
  }
}

type Run = Awaited<ReturnType<typeof profiled>>;

function table(run: Run): string {
  const lines: string[] = [];
  for (const [i, t] of run.threads.entries()) {
    const idle = t.stages.find((s) => s.stage === "idle")?.ms ?? 0;
    const startup = t.stages.find((s) => s.stage.startsWith("startup"))?.ms ?? 0;
    const busy = t.totalMs - idle - startup;
    lines.push(
      `${i === 0 ? "Main thread" : "Writer thread"}: busy ${fmt(busy / 1000, 1)} s of ${fmt(t.totalMs / 1000, 1)} s profiled (start-up ${fmt(startup / 1000, 1)} s not counted).`,
      "",
      "| stage | share of busy | µs per request |",
      "| --- | --- | --- |",
    );
    for (const s of t.stages) {
      if (s.stage === "idle" || s.stage.startsWith("startup")) continue;
      // Per request of the whole run: the warm-up's requests are in the profile too.
      lines.push(
        `| ${s.stage} | ${fmt((100 * s.ms) / busy, 1)} % | ${fmt((1000 * s.ms) / run.requests, 1)} |`,
      );
    }
    lines.push("", "Its busiest functions, by their own time:", "");
    for (const f of t.frames) lines.push(`- ${fmt((100 * f.ms) / busy, 1)} % \`${f.frame}\` (${f.stage})`);
    lines.push("");
  }
  return lines.join("\n");
}

const backends: Backend[] = ["sqlite"];
if (await postgresAvailable()) backends.push("postgres");
const sections: string[] = [];
for (const route of [SCANS, STATS]) {
  const bare = await profiled("bare Hono", { ...route, path: "/bare" }, async (run) => {
    const server = await startBareServer();
    try {
      await run(server);
    } finally {
      await server.stop();
    }
  });
  for (const backend of backends) {
    const run = await profiled(backend, route, (go) => withServer(backend, "profile", go));
    const m = run.measured;
    // The writer thread writes its profile as it exits, which the process does not always
    // wait for: say so rather than show one thread as if it were all.
    const missing =
      backend === "sqlite" && run.threads.length < 2
        ? "The writer thread's profile was not written in this run (the process exited first); its CPU is in the figure above.\n\n"
        : "";
    sections.push(
      `### ${route.name} on ${backend}\n\n` +
        `${fmt(m.requestsPerSecond, 0)} req/s (p99 ${m.latencyP99Ms} ms); CPU ${fmt(m.cpuMicrosPerRequest, 0)} µs per request, all threads ` +
        `(the bare route's ${bare.measured.requests ? fmt(bare.measured.cpuMicrosPerRequest, 0) : "n/a"} µs at ${fmt(bare.measured.requestsPerSecond, 0)} req/s).\n\n${missing}${table(run)}`,
    );
  }
}

const out = fileURLToPath(new URL("./PROFILE.md", import.meta.url));
writeFileSync(
  out,
  `# Where a request's CPU goes (Node)

Produced by \`npm run bench:profile\` on ${new Date().toISOString()}; ${cpus().length} CPUs.
The server as users run it (\`node dist/server.js\`, tokens on, LOG_LEVEL=info), ${CONNECTIONS} clients
(autocannon, in the bench process) for ${SECONDS} s after a warm-up of the same length,
every thread profiled by \`node --cpu-prof\` (1 ms sampling). Each sample is given to a
stage by its stack (bench/support/cpu-profile.ts): idle, GC and start-up first; else the
innermost frame of the request's own work (auth, JSON parse, validation, row mapping,
group commit, the writer thread hand-off, SQL, the access log, metrics); else HTTP and
Hono. µs per request: a stage's time over the requests of the warm-up and the measured
run. CPU per request, all threads: /proc/<pid>/stat over the measured run alone.

${sections.join("\n")}
`,
);
note(`wrote ${out}`);
