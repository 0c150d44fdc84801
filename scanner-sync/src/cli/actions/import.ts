// What `import` does: reads the whole file (or stdin), then stores every line or none.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { withBuffer } from "./with-buffer.js";

async function readInput(file: string): Promise<string> {
  if (file !== "-") {
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function importFile(file: string, cmd: Command): Promise<number> {
  const text = await readInput(file);
  return withBuffer(cmd, { create: true }, (buffer) => {
    process.stdout.write(`${JSON.stringify(buffer.importNdjson(text))}\n`);
    return 0;
  });
}
