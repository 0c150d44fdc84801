// `dead-letters`: the records the server refused, and its reasons, for a person to act on;
// `--requeue` sends them again once the cause is fixed.
import type { Command } from "commander";
import type { ScanBuffer } from "../buffer/scan-buffer.js";
import { action, EXIT } from "./errors.js";
import { positiveInt, withBuffer } from "./options.js";

interface DeadLetterOptions {
  json?: boolean;
  limit: number;
  requeue?: boolean;
  uuid?: string[];
}

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

function list(buffer: ScanBuffer, o: DeadLetterOptions): number {
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
  return EXIT.ok;
}

/** A uuid that is not a dead letter here is most likely mistyped: it is named, the rest requeued. */
function notDeadLetters(buffer: ScanBuffer, uuids: string[] | undefined): string[] {
  if (!uuids) return [];
  const dead = new Set(buffer.deadLetters(Number.MAX_SAFE_INTEGER).map((d) => d.uuid));
  return uuids.filter((u) => !dead.has(u.toLowerCase()));
}

function requeue(buffer: ScanBuffer, uuids: string[] | undefined): number {
  const unknown = notDeadLetters(buffer, uuids);
  const n = buffer.requeueDeadLetters(uuids);
  process.stdout.write(
    n === 0
      ? "no dead letters requeued\n"
      : `requeued ${n} dead letter${n === 1 ? "" : "s"}: the next sync sends ${n === 1 ? "it" : "them"} again\n`,
  );
  if (unknown.length === 0) return EXIT.ok;
  process.stderr.write(`veritix-scanner: not a dead letter on this device: ${unknown.join(", ")}\n`);
  return EXIT.error;
}

export function deadLettersCommand(program: Command): void {
  program
    .command("dead-letters")
    .description("records the server rejected, and why; --requeue sends them again")
    .option("--json", "as NDJSON, one dead letter per line")
    .option("--limit <n>", "at most this many", positiveInt("--limit"), 1000)
    .option("--requeue", "put the dead letters back in the queue: the next sync sends them again")
    .option("--uuid <uuid...>", "with --requeue: only these records")
    .addHelpText("after", AFTER_HELP)
    .action(
      action(async (o: DeadLetterOptions, cmd: Command) => {
        if (o.uuid && !o.requeue) throw new Error("--uuid only goes with --requeue");
        return withBuffer(cmd, { create: false }, (buffer) =>
          o.requeue ? requeue(buffer, o.uuid) : list(buffer, o),
        );
      }),
    );
}
