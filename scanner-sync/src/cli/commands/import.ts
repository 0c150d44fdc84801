// `import FILE`: NDJSON scans (the fields of POST /scans), e.g. another scanner's export,
// stored in one local transaction: all of them, or none and every bad line named.
import type { Command } from "commander";
import { action } from "../errors.js";

export function importCommand(program: Command): void {
  program
    .command("import")
    .description("record NDJSON scans from a file (- for stdin), all in one local transaction")
    .argument("<file>", "NDJSON, one scan per line with the fields of POST /scans")
    .action(
      action(async (file: string, _o: unknown, cmd: Command) =>
        (await import("../actions/import.js")).importFile(file, cmd),
      ),
    );
}
