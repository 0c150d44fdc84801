// `check`: "has this ticket been admitted already, at any gate?", asked of the server
// while a person waits; this device's buffer answers when the server cannot in time.
import type { Command } from "commander";
import { DEFAULT_ADMISSION_TIMEOUT_MS } from "../../upload/defaults.js";
import type { CheckOptions } from "../actions/check.js";
import { action, CHECK_EXIT, EXIT } from "../errors.js";
import { wholeNumber } from "../options.js";

const EXIT_CODES = `
Prints one JSON line: {"source": "server"|"local", "admitted", "valid_scans", "first_entry", ...}.
"local": the server gave no usable answer in time (down, slow, 5xx, a captive portal);
"reason" says why, and the answer is this device's own valid scans of the ticket.

Exit codes:
  ${CHECK_EXIT.notAdmitted}   not admitted (source server): let them in
  ${CHECK_EXIT.admitted}  admitted already (by the server, or by a valid scan on this device): refuse
  ${CHECK_EXIT.unknown}  unknown (source local, and no valid scan of it on this device)
  ${EXIT.error}   error: bad input, token refused (401/403), server refused the question (400), database
  (never ${EXIT.tempfail}: a server that cannot answer makes the answer local, not an error)
`;

export function checkCommand(program: Command): void {
  program
    .command("check")
    .description("has this ticket been admitted? asks GET /admissions, else this device's buffer")
    .requiredOption("--event-id <id>", "the event")
    .requiredOption("--ticket-id <id>", "the ticket")
    .option(
      "--timeout <ms>",
      "how long the server has to answer, in milliseconds",
      wholeNumber(1),
      DEFAULT_ADMISSION_TIMEOUT_MS,
    )
    .addHelpText("after", EXIT_CODES)
    .action(
      action(async (o: CheckOptions, cmd: Command) => (await import("../actions/check.js")).check(o, cmd)),
    );
}
