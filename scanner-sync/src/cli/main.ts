// veritix-scanner: the gate device's command line. Records go to the local buffer at
// once; `sync` uploads them when the network allows.
import { Command } from "commander";
import { APP_VERSION } from "../version.js";
import { deadLettersCommand } from "./dead-letters.js";
import { importCommand } from "./import.js";
import { lastScanCommand } from "./last-scan.js";
import { addGlobalOptions } from "./options.js";
import { recordCommand } from "./record.js";
import { statusCommand } from "./status.js";
import { syncCommand } from "./sync.js";

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
]) {
  add(program);
}

await program.parseAsync();
