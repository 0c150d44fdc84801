// `record`: one scan at the gate, stored locally at once. Prints the stored record; says
// on stderr when this ticket was already admitted here.
import type { Command } from "commander";
import type { RecordOptions } from "../actions/record.js";
import { action } from "../errors.js";

export function recordCommand(program: Command): void {
  program
    .command("record")
    .description("record one scan (stored on this device at once; never waits for the network)")
    .requiredOption("--event-id <id>", "the event")
    .requiredOption("--ticket-id <id>", "the scanned ticket")
    .option("--invalid", "the ticket was refused at the gate (is_valid: false)")
    .option("--reason <text>", "with --invalid: also record an invalid attempt with this reason")
    .option("--attempt-type <type>", "with --reason: the invalid attempt's type", "scan")
    .option("--location <text>", "where: gate, door, lane")
    .option("--device-info <text>", "the device's model or OS")
    .option("--metadata <json>", "additional_metadata, a JSON object")
    .action(
      action(async (o: RecordOptions, cmd: Command) => (await import("../actions/record.js")).record(o, cmd)),
    );
}
