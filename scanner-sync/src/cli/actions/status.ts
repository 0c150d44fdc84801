// What `status` does: the buffer's status as JSON, or as lines for a person.
import { resolve } from "node:path";
import type { Command } from "commander";
import { globals } from "../options.js";
import { withBuffer } from "./with-buffer.js";

function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return "never";
  const signed = Math.round((now - Date.parse(iso)) / 1000);
  const s = Math.abs(signed);
  const span = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  // Ahead of this clock: the device's clock was set back since.
  return signed < 0 ? `${iso} (${span} ahead of this clock)` : `${iso} (${span} ago)`;
}

export function status(o: { json?: boolean }, cmd: Command): Promise<number> {
  return withBuffer(cmd, { create: false }, (buffer) => {
    const s = buffer.status();
    if (o.json) {
      process.stdout.write(`${JSON.stringify(s)}\n`);
      return 0;
    }
    const rows: [string, string][] = [
      ["scanner", `${buffer.scannerId} (${resolve(globals(cmd).db)})`],
      ["pending", s.pending ? `${s.pending}, oldest recorded ${ago(s.oldest_pending_at)}` : "0"],
      ["last sync", ago(s.last_sync_at)],
      ["last error", s.last_error ? `${s.last_error.message}, at ${ago(s.last_error.at)}` : "none"],
      ["dead letters", s.dead_letters ? `${s.dead_letters} (veritix-scanner dead-letters)` : "0"],
    ];
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(13)}${v}\n`);
    return 0;
  });
}
