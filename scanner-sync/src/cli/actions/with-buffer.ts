// The buffer a command works on, as the global options name it.
import type { Command } from "commander";
import { ScanBuffer } from "../../buffer/scan-buffer.js";
import { globals } from "../options.js";

/** Writers create the file; readers (status, dead-letters) refuse a path with nothing behind it. */
function openBuffer(cmd: Command, opts: { create: boolean }): ScanBuffer {
  const g = globals(cmd);
  return ScanBuffer.open({ path: g.db, scannerId: g.scannerId, create: opts.create });
}

/** Runs with the buffer open, and closes it however the command ends. */
export async function withBuffer<T>(
  cmd: Command,
  opts: { create: boolean },
  fn: (buffer: ScanBuffer) => T | Promise<T>,
): Promise<T> {
  const buffer = openBuffer(cmd, opts);
  try {
    return await fn(buffer);
  } finally {
    buffer.close();
  }
}
