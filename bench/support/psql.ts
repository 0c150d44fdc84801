// Runs psql (from the PATH) as a child process and times it, start-up included: the COPY
// reference of the drain benchmark, and psql's own start-up to say how much of it that is.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

/** Runs `psql -c command` on `url`; resolves to the milliseconds from spawn to exit. */
export function timedPsql(url: string, command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", command], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else
        reject(new Error(`psql -c ${JSON.stringify(command.slice(0, 80))}: exit ${code}: ${stderr.trim()}`));
    });
  });
}

/** `\copy table(columns) FROM 'file' WITH (FORMAT csv)`, timed with psql's start-up. */
export function psqlCopy(url: string, table: string, columns: readonly string[], csvPath: string) {
  if (csvPath.includes("'")) throw new Error(`unsupported path for \\copy: ${csvPath}`);
  return timedPsql(url, `\\copy ${table}(${columns.join(", ")}) FROM '${csvPath}' WITH (FORMAT csv)`);
}

/** Median time of `psql -c 'SELECT 1'` over `runs` runs: psql's start-up and connection. */
export async function psqlStartup(url: string, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timedPsql(url, "SELECT 1"));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}
