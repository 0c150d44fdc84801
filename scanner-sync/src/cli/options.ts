// The options every command shares (flags or env), and the parsers of option values.
// Declaring commands loads this file, so it imports nothing but commander.
import { type Command, Option } from "commander";

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
        "scanner token for POST /sync and GET /admissions (prefer SYNC_TOKEN: flags show in `ps`)",
      ).env("SYNC_TOKEN"),
    );
}

export const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${value}`);
    return n;
  };
}
