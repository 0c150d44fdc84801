// `record`: one scan at the gate, stored locally at once. Prints the stored record; says
// on stderr when this ticket was already admitted here.
import type { Command } from "commander";
import type { InvalidAttemptItem, ScanItem } from "../wire.js";
import { action } from "./errors.js";
import { withBuffer } from "./options.js";

interface RecordOptions {
  eventId: string;
  ticketId: string;
  invalid?: boolean;
  reason?: string;
  attemptType: string;
  location?: string;
  deviceInfo?: string;
  metadata?: string;
}

function parseMetadata(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    throw new Error("--metadata must be a JSON object, e.g. '{\"battery_level\": 80}'");
  }
}

export function recordCommand(program: Command): void {
  program
    .command("record")
    .description("record one scan (stored on this device at once; never waits for the network)")
    .requiredOption("--event-id <id>", "the event")
    .requiredOption("--ticket-id <id>", "the scanned ticket")
    .option("--invalid", "the ticket was refused at the gate (is_valid: false)")
    .option("--reason <text>", "with --invalid: also record an invalid attempt with this reason")
    .option("--attempt-type <type>", "the invalid attempt's type", "scan")
    .option("--location <text>", "where: gate, door, lane")
    .option("--device-info <text>", "the device's model or OS")
    .option("--metadata <json>", "additional_metadata, a JSON object")
    .action(
      action(async (o: RecordOptions, cmd: Command) =>
        withBuffer(cmd, { create: true }, (buffer) => {
          const before = buffer.lastScanOf(o.ticketId, o.eventId, { validOnly: true });
          const printed: (ScanItem | InvalidAttemptItem)[] = [];
          buffer.transaction(() => {
            printed.push(
              buffer.record({
                event_id: o.eventId,
                ticket_id: o.ticketId,
                is_valid: !o.invalid,
                location: o.location,
                device_info: o.deviceInfo,
                additional_metadata: parseMetadata(o.metadata),
              }),
            );
            if (o.invalid && o.reason) {
              printed.push(
                buffer.recordInvalidAttempt({
                  attempt_type: o.attemptType,
                  reason: o.reason,
                  ticket_id: o.ticketId,
                  event_id: o.eventId,
                }),
              );
            }
          });
          for (const r of printed) process.stdout.write(`${JSON.stringify(r)}\n`);
          if (before) {
            const where = [before.location, before.scanner_id].filter(Boolean).join(", ");
            process.stderr.write(
              `note: ticket ${o.ticketId} was already admitted here at ${before.scan_timestamp} (${where})\n`,
            );
          }
          return 0;
        }),
      ),
    );
}
