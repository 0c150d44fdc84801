// What `last-scan` does: one lookup in the buffer, printed as JSON (null if none).
import type { Command } from "commander";
import { withBuffer } from "./with-buffer.js";

export interface LastScanOptions {
  eventId: string;
  ticketId: string;
  validOnly?: boolean;
}

export function lastScan(o: LastScanOptions, cmd: Command): Promise<number> {
  return withBuffer(cmd, { create: false }, (buffer) => {
    const last = buffer.lastScanOf(o.ticketId, o.eventId, { validOnly: Boolean(o.validOnly) });
    process.stdout.write(`${JSON.stringify(last)}\n`);
    return 0;
  });
}
