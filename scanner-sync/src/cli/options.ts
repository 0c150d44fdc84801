// The options every command shares (flags or env), and the parsers of option values.
// Declaring commands loads this file, so it imports nothing but commander.
import { type Command, InvalidArgumentError, Option } from "commander";

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

/**
 * An option's whole number, `min` or more. Refused with commander's InvalidArgumentError:
 * one line naming the option, and exit 1.
 */
export function wholeNumber(min = 0) {
  return (value: string): number => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`an integer of at least ${min}, please`);
    return n;
  };
}

/** An option's count of seconds: a number above 0 (fractions allowed), at most `max`. */
export function seconds(max = 86_400) {
  return (value: string): number => {
    const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!(n > 0 && n <= max)) throw new InvalidArgumentError(`seconds above 0 and at most ${max}, please`);
    return n;
  };
}
