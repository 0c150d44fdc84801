// `sync`: drain the outbox once (exit 0 when it is empty), or with --watch keep draining
// as records arrive and the network comes and goes, until SIGINT/SIGTERM.
import type { Command } from "commander";
import { DEFAULT_MAX_IN_FLIGHT } from "../../upload/defaults.js";
import type { SyncOptions } from "../actions/sync.js";
import { action } from "../errors.js";
import { positiveInt } from "../options.js";

export function syncCommand(program: Command): void {
  program
    .command("sync")
    .description("upload the outbox to POST /sync; exit 0 when it is empty")
    .option("--watch", "keep syncing as records arrive, until SIGINT/SIGTERM")
    .option("--poll <seconds>", "with --watch: how often to look for new records", Number, 2)
    .option("--batch-size <n>", "records per request (at most 1000)", positiveInt("--batch-size"))
    .option(
      "--in-flight <n>",
      "requests on their way at once (the next batches are sent while one is answered)",
      positiveInt("--in-flight"),
      DEFAULT_MAX_IN_FLIGHT,
    )
    .option(
      "--max-retries <n>",
      "retries of a failing request before giving up (not with --watch)",
      positiveInt("--max-retries"),
      5,
    )
    .option("--timeout <seconds>", "per request", Number, 30)
    .option(
      "--max-backoff <seconds>",
      "longest wait between retries (a Retry-After may ask for more)",
      Number,
      30,
    )
    .option(
      "--keep-days <n>",
      "keep uploaded records this long for 'already scanned here?'",
      positiveInt("--keep-days"),
      7,
    )
    .option("--keep-rows <n>", "and at most this many", positiveInt("--keep-rows"), 100_000)
    .action(
      action(async (o: SyncOptions, cmd: Command) => (await import("../actions/sync.js")).sync(o, cmd)),
    );
}
