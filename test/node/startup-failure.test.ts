// `npm start` (node dist/server.js) that cannot reach its database: it exits 1 with one
// log line that gives the reason first, in words, and the database it tried, never the
// password of DATABASE_URL.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A port nothing listens on (taken, then let go). */
const unusedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function run(
  env: Record<string, string>,
): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, ["dist/server.js"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  return new Promise((resolve) =>
    child.once("exit", (code) =>
      resolve({
        code,
        lines: out
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    ),
  );
}

describe("npm start without its database", () => {
  it("exits 1 saying why, and where, without the password", async () => {
    const port = await unusedPort();
    const { code, lines } = await run({
      DATABASE_URL: `postgresql://veritix:s3cret-pw@127.0.0.1:${port}/nowhere`,
    });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "error",
      msg: expect.stringMatching(/^failed to start: connect ECONNREFUSED 127\.0\.0\.1:\d+/),
      database: "postgres",
      target: `127.0.0.1:${port}/nowhere`,
    });
    expect(JSON.stringify(lines)).not.toContain("s3cret-pw");
  });
});
