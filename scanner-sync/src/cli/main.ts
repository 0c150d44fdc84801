// veritix-scanner: the gate device's command line. Records go to the local buffer at
// once; `sync` uploads them when the network allows.
//
// A gate runs `record` as a whole process per scan, so start-up is most of its cost. This
// file and commands/ only declare the commands (commander alone); each command's work, and
// what that needs (SQLite, the wire schemas, the uploader, node:http, cli-progress), is
// imported when the command runs: `record` never loads the uploader.
import { Command } from "commander";
import { APP_VERSION } from "../version.js";
import { checkCommand } from "./commands/check.js";
import { deadLettersCommand } from "./commands/dead-letters.js";
import { importCommand } from "./commands/import.js";
import { lastScanCommand } from "./commands/last-scan.js";
import { recordCommand } from "./commands/record.js";
import { statusCommand } from "./commands/status.js";
import { syncCommand } from "./commands/sync.js";
import { addGlobalOptions } from "./options.js";

const program = addGlobalOptions(
  new Command("veritix-scanner")
    .description("offline buffer and uploader of a Veritix gate scanner")
    .version(APP_VERSION)
    .showHelpAfterError(),
);
for (const add of [
  recordCommand,
  importCommand,
  syncCommand,
  statusCommand,
  deadLettersCommand,
  lastScanCommand,
  checkCommand,
]) {
  add(program);
}

// What this process prints is said once the work is committed: a reader that went away
// (a closed pipe) or a full disk must not turn a stored scan into a crash and an exit 1,
// which a gate app would take as "not recorded" and record again.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`veritix-scanner: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
