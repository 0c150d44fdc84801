// `last-scan`: "was this ticket already scanned here, when, at which gate?", offline.
import type { Command } from "commander";
import type { LastScanOptions } from "../actions/last-scan.js";
import { action } from "../errors.js";

export function lastScanCommand(program: Command): void {
  program
    .command("last-scan")
    .description("the latest scan of a ticket on this device (JSON, or null)")
    .requiredOption("--event-id <id>", "the event")
    .requiredOption("--ticket-id <id>", "the ticket")
    .option("--valid-only", "only scans that admitted the ticket")
    .action(
      action(async (o: LastScanOptions, cmd: Command) =>
        (await import("../actions/last-scan.js")).lastScan(o, cmd),
      ),
    );
}
