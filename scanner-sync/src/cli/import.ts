// `import FILE`: NDJSON scans (the fields of POST /scans), e.g. another scanner's export,
// stored in one local transaction: all of them, or none and every bad line named.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { action } from "./errors.js";
import { withBuffer } from "./options.js";

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

export function importCommand(program: Command): void {
  program
    .command("import")
    .description("record NDJSON scans from a file (- for stdin), all in one local transaction")
    .argument("<file>", "NDJSON, one scan per line with the fields of POST /scans")
    .action(
      action(async (file: string, _o: unknown, cmd: Command) => {
        const text = await readInput(file);
        return withBuffer(cmd, { create: true }, (buffer) => {
          process.stdout.write(`${JSON.stringify(buffer.importNdjson(text))}\n`);
          return 0;
        });
      }),
    );
}
