// The options every command shares (flags or env), and the buffer they point at.
import { type Command, Option } from "commander";
import { ScanBuffer } from "../buffer/scan-buffer.js";

export interface GlobalOptions {
  db: string;
  scannerId?: string;
  url?: string;
  token?: string;
}

export const DEFAULT_DB = "./data/scanner.db";

export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option("--db <path>", "the device's SQLite buffer").env("SCANNER_DB").default(DEFAULT_DB))
    .addOption(
      new Option("--scanner-id <id>", "this device's scanner id (stored in a new buffer)").env("SCANNER_ID"),
    )
    .addOption(
      new Option("--url <url>", "the analytics server's base URL, e.g. http://10.0.0.5:8787").env("SYNC_URL"),
    )
    .addOption(
      new Option(
        "--token <token>",
        "scanner token for POST /sync (prefer SYNC_TOKEN: flags show in `ps`)",
      ).env("SYNC_TOKEN"),
    );
}

export const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;

/** Writers create the file; readers (status, dead-letters) refuse a path with nothing behind it. */
export function openBuffer(cmd: Command, opts: { create: boolean }): ScanBuffer {
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

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${value}`);
    return n;
  };
}
