// `dead-letters`: the records the server refused, and its reasons, for a person to act on.
import type { Command } from "commander";
import { action } from "./errors.js";
import { positiveInt, withBuffer } from "./options.js";

export function deadLettersCommand(program: Command): void {
  program
    .command("dead-letters")
    .description("records the server rejected, and why")
    .option("--json", "as NDJSON, one dead letter per line")
    .option("--limit <n>", "at most this many", positiveInt("--limit"), 1000)
    .action(
      action(async (o: { json?: boolean; limit: number }, cmd: Command) =>
        withBuffer(cmd, { create: false }, (buffer) => {
          const letters = buffer.deadLetters(o.limit);
          for (const d of letters) {
            if (o.json) {
              process.stdout.write(`${JSON.stringify(d)}\n`);
              continue;
            }
            const what = [
              d.item.ticket_id && `ticket ${d.item.ticket_id}`,
              d.item.event_id && `event ${d.item.event_id}`,
            ]
              .filter(Boolean)
              .join(", ");
            const why = d.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
            process.stdout.write(`${d.rejected_at}  ${d.kind} ${d.uuid} (${what}): ${why}\n`);
          }
          if (!o.json && letters.length === 0) process.stdout.write("no dead letters\n");
          return 0;
        }),
      ),
    );
}
