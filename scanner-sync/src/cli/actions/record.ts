// What `record` does: the scan (and, refused with a reason, the invalid attempt) in one
// local transaction, then the stored records on stdout.
import type { Command } from "commander";
import type { InvalidAttemptItem, ScanItem } from "../../wire.js";
import { withBuffer } from "./with-buffer.js";

export interface RecordOptions {
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

/**
 * Flags that only mean something together: a reason without --invalid would otherwise be
 * dropped and the scan stored valid, admitting a ticket the gate refused.
 */
function checkCombination(o: RecordOptions, cmd: Command): void {
  if (o.reason !== undefined && !o.invalid) {
    throw new Error("--reason goes with --invalid (a refused scan); without --invalid the scan is valid");
  }
  if (cmd.getOptionValueSource("attemptType") === "cli" && o.reason === undefined) {
    throw new Error("--attempt-type goes with --invalid --reason (it is the invalid attempt's type)");
  }
}

export function record(o: RecordOptions, cmd: Command): Promise<number> {
  checkCombination(o, cmd);
  return withBuffer(cmd, { create: true }, (buffer) => {
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
  });
}
