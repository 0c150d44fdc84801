// A V8 CPU profile (node --cpu-prof) read as the stages of a request. Each sample goes to
// the stage of the function it was in (by its file, and for the middleware by its name),
// except that a V8 builtin's or a Node module's time (a socket write, a hash, a
// postMessage) goes to the nearest caller that is neither: a write under the log's flush
// is the log's, under the Node adapter the answer's. The shares add up to the thread's time.
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type Rule = [string, (f: CallFrame) => boolean];

/** A frame of the project's own code (src/ as tsx runs it, dist/ as `npm start` does) under `path`. */
const ours = (path: string, fn?: RegExp) => {
  const re = new RegExp(`/(src|dist)/${path}`);
  return (f: CallFrame) =>
    !f.url.includes("node_modules") && re.test(f.url) && (!fn || fn.test(f.functionName));
};
const pkg = (re: RegExp) => (f: CallFrame) => re.test(f.url);

/**
 * Engine-level frames: V8 builtins and Node's own modules (a socket write, a hash, a
 * postMessage). Their time is charged to the nearest caller that is not one: the log's
 * flush, the token's digest, the answer's write.
 */
const engine = (f: CallFrame) =>
  (f.url === "" &&
    !["parse", "stringify", "(program)", "(garbage collector)", "(idle)"].includes(f.functionName)) ||
  f.url.startsWith("node:");

/** The stage of a frame that is not engine-level, the first rule that matches. */
const RULES: Rule[] = [
  ["idle", (f) => f.functionName === "(idle)"],
  ["GC", (f) => f.functionName === "(garbage collector)"],
  ["native (program)", (f) => f.functionName === "(program)"],
  ["JSON parse", (f) => f.url === "" && f.functionName === "parse"],
  ["JSON stringify", (f) => f.url === "" && f.functionName === "stringify"],
  ["access log", ours("(observability/logger|node/log-sink)")],
  ["metrics", (f) => ours("observability/(prometheus|metrics)")(f) || pkg(/node_modules\/prom-client/)(f)],
  [
    "auth",
    (f) =>
      ours("auth/")(f) ||
      ours("http/middleware", /requireRole|bearer/)(f) ||
      pkg(/hono\/dist\/utils\/jwt/)(f),
  ],
  ["edge cache and ETag", ours("http/edge-cache")],
  [
    "body read",
    (f) =>
      ours("http/middleware", /jsonBody|limitBody/)(f) ||
      pkg(/hono\/dist\/(request|middleware\/body-limit)/)(f),
  ],
  ["validation", (f) => pkg(/node_modules\/zod/)(f) || ours("(quick-parse|records)")(f)],
  ["row mapping", ours("store/(rows|outcomes|columns|sqlite/batch-sql)")],
  ["group commit", ours("store/group-commit")],
  ["writer thread hand-off", ours("store/sqlite/embedded/(thread|writer)")],
  ["SQL (driver)", pkg(/better-sqlite3|node_modules\/pg\/|pg-protocol|pg-pool/)],
  ["SQL (Drizzle: building, mapping)", pkg(/drizzle-orm/)],
  ["SQL (store)", ours("store/")],
  ["service, routes, middleware", ours("")],
  ["Hono (routing, context)", pkg(/node_modules\/hono\/dist/)],
  ["HTTP (Node adapter)", pkg(/@hono\/node-server/)],
];
/** Engine-level stacks all the way up: what Node did on its own. */
const NODE_ONLY: Rule[] = [
  [
    "HTTP (node:http, sockets)",
    pkg(/node:_http|node:http|node:net|node:stream|node:internal\/(streams|http|stream_base)/),
  ],
  ["promises and timers", pkg(/node:internal\/(process\/task_queues|timers|async_hooks)/)],
  ["Node internals (other)", () => true],
];

export interface StageShare {
  stage: string;
  ms: number;
}

/** A function's own time (no callees): where inside a stage the time went. */
export interface FrameTime {
  frame: string;
  stage: string;
  ms: number;
}

/** Time per stage in one profile (ms), idle and startup included, largest first; the busiest functions. */
export function stagesOf(path: string): { stages: StageShare[]; totalMs: number; frames: FrameTime[] } {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const c of node.children ?? []) parent.set(c, node.id);
  }
  // Each node's stage: its own frame's, or (an engine-level frame) its nearest caller's
  // that is not engine-level; all engine-level up to the root: Node's own work.
  const stageOf = new Map<number, string>();
  const resolve = (leaf: number): string => {
    const known = stageOf.get(leaf);
    if (known) return known;
    let stage: string | undefined;
    // Loading modules (start-up, and the writer thread's): whatever else it runs.
    for (let id: number | undefined = leaf; id !== undefined && !stage; id = parent.get(id)) {
      if (/node:internal\/modules/.test(byId.get(id)?.callFrame.url ?? ""))
        stage = "startup (module loading)";
    }
    for (let id: number | undefined = leaf; id !== undefined && !stage; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame && !engine(frame)) stage = RULES.find(([, test]) => test(frame))?.[0] ?? "other";
    }
    if (!stage) {
      const frame = byId.get(leaf)?.callFrame;
      stage = frame ? (NODE_ONLY.find(([, test]) => test(frame))?.[0] as string) : "other";
    }
    stageOf.set(leaf, stage);
    return stage;
  };
  const ms = new Map<string, number>();
  const self = new Map<string, FrameTime>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += dt;
    const stage = resolve(id);
    ms.set(stage, (ms.get(stage) ?? 0) + dt);
    const f = byId.get(id)?.callFrame;
    const where = f?.url ? f.url.replace(/^.*\/(node_modules\/|src\/|dist\/)/, "$1") : "";
    const frame = `${f?.functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
    const known = self.get(frame) ?? { frame, stage, ms: 0 };
    known.ms += dt;
    self.set(frame, known);
  });
  const stages = [...ms].map(([stage, t]) => ({ stage, ms: t })).sort((a, b) => b.ms - a.ms);
  const frames = [...self.values()]
    .filter((f) => f.stage !== "idle")
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 15);
  return { stages, totalMs, frames };
}
