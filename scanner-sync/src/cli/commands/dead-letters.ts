// `dead-letters`: the records the server refused, and its reasons, for a person to act on;
// `--requeue` sends them again once the cause is fixed.
import type { Command } from "commander";
import type { DeadLetterOptions } from "../actions/dead-letters.js";
import { action } from "../errors.js";
import { wholeNumber } from "../options.js";

const AFTER_HELP = `
A record the server refused stays here with its reasons, and sync moves on. Once the
cause is fixed, --requeue puts the records back in the queue, as they were recorded
(same uuid, same content, behind what is pending), and the next sync sends them again.
The server counts a record once, however often it is sent.

Example: a device whose clock ran more than 24 h fast had every scan refused ("must not
be more than 24 hours in the future"). Once those times are no longer in the server's
future (the clock fixed and enough time passed):

  veritix-scanner dead-letters --requeue
  veritix-scanner dead-letters --requeue --uuid 0190a000-… --uuid 0190a001-…
  veritix-scanner sync
`;

export function deadLettersCommand(program: Command): void {
  program
    .command("dead-letters")
    .description("records the server rejected, and why; --requeue sends them again")
    .option("--json", "as NDJSON, one dead letter per line")
    .option("--limit <n>", "at most this many", wholeNumber(1), 1000)
    .option("--requeue", "put the dead letters back in the queue: the next sync sends them again")
    .option("--uuid <uuid...>", "with --requeue: only these records")
    .addHelpText("after", AFTER_HELP)
    .action(
      action(async (o: DeadLetterOptions, cmd: Command) =>
        (await import("../actions/dead-letters.js")).deadLetters(o, cmd),
      ),
    );
}
