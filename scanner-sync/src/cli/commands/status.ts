// `status`: what is waiting, when the server last confirmed anything, what went wrong.
import type { Command } from "commander";
import { action } from "../errors.js";

export function statusCommand(program: Command): void {
  program
    .command("status")
    .description("pending records, last sync, last error, dead letters")
    .option("--json", "as JSON")
    .action(
      action(async (o: { json?: boolean }, cmd: Command) =>
        (await import("../actions/status.js")).status(o, cmd),
      ),
    );
}
