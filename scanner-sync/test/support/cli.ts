// The CLI as a gate device runs it: the compiled one (bin/veritix-scanner.cjs, which runs
// dist/cli.cjs with plain node) in a child process, with only the env the test gives.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { CLI_BIN, CLI_DIST, ROOT } from "./paths.js";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The parent's env without the scanner's own variables, so tests say exactly what they mean. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(SCANNER_|SYNC_)/.test(k) && k !== "DEBUG"),
  );
  return { ...base, ...env };
}

export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  if (!existsSync(CLI_DIST)) throw new Error(`no ${CLI_DIST}: run \`npm run build\` (npm test does) first`);
  return spawn(process.execPath, [CLI_BIN, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: "pipe" });
}

export function finished(child: ChildProcess, input?: string): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  if (input !== undefined) child.stdin?.end(input);
  else child.stdin?.end();
  return new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return finished(spawnCli(args, env), input);
}
