// `last-scan`: "was this ticket already scanned here, when, at which gate?", offline.
import type { Command } from "commander";
import { action } from "./errors.js";
import { withBuffer } from "./options.js";

export function lastScanCommand(program: Command): void {
  program
    .command("last-scan")
    .description("the latest scan of a ticket on this device (JSON, or null)")
    .requiredOption("--event-id <id>", "the event")
    .requiredOption("--ticket-id <id>", "the ticket")
    .option("--valid-only", "only scans that admitted the ticket")
    .action(
      action(async (o: { eventId: string; ticketId: string; validOnly?: boolean }, cmd: Command) =>
        withBuffer(cmd, { create: false }, (buffer) => {
          const last = buffer.lastScanOf(o.ticketId, o.eventId, { validOnly: Boolean(o.validOnly) });
          process.stdout.write(`${JSON.stringify(last)}\n`);
          return 0;
        }),
      ),
    );
}
