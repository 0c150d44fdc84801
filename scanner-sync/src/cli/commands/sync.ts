// `sync`: drain the outbox once (exit 0 when it is empty), or with --watch keep draining
// as records arrive and the network comes and goes, until SIGINT/SIGTERM.
import type { Command } from "commander";
import { DEFAULT_MAX_IN_FLIGHT } from "../../upload/defaults.js";
import type { SyncOptions } from "../actions/sync.js";
import { action } from "../errors.js";
import { seconds, wholeNumber } from "../options.js";

const EXIT_CODES = `
Exit codes:
  0    the outbox is empty (with --watch: stopped by a signal)
  1    needs a person: bad input, token refused, no buffer at --db, a database error
  75   the server was unreachable or overloaded: records kept, run it again later
  130  interrupted (SIGINT/SIGTERM) before the outbox was empty
`;

export function syncCommand(program: Command): void {
  program
    .command("sync")
    .description("upload the outbox to POST /sync; exit 0 when it is empty")
    .option("--watch", "keep syncing as records arrive, until SIGINT/SIGTERM")
    .option("--poll <seconds>", "with --watch: how often to look for new records", seconds(3600), 2)
    .option("--batch-size <n>", "records per request (at most 1000)", wholeNumber(1))
    .option(
      "--in-flight <n>",
      "requests on their way at once (the next batches are sent while one is answered)",
      wholeNumber(1),
      DEFAULT_MAX_IN_FLIGHT,
    )
    .option(
      "--max-retries <n>",
      "retries of a failing request before giving up (not with --watch)",
      wholeNumber(0),
      5,
    )
    .option("--timeout <seconds>", "per request", seconds(3600), 30)
    .option(
      "--max-backoff <seconds>",
      "longest wait between retries (a Retry-After may ask for more)",
      seconds(),
      30,
    )
    .option(
      "--keep-days <n>",
      "keep uploaded records this long for 'already scanned here?'",
      wholeNumber(0),
      7,
    )
    .option("--keep-rows <n>", "and at most this many", wholeNumber(0), 100_000)
    .addHelpText("after", EXIT_CODES)
    .action(
      action(async (o: SyncOptions, cmd: Command) => (await import("../actions/sync.js")).sync(o, cmd)),
    );
}
