// What `dead-letters` does: lists them, or with --requeue puts them back in the queue.
import type { Command } from "commander";
import type { ScanBuffer } from "../../buffer/scan-buffer.js";
import { EXIT } from "../errors.js";
import { withBuffer } from "./with-buffer.js";

export interface DeadLetterOptions {
  json?: boolean;
  limit: number;
  requeue?: boolean;
  uuid?: string[];
}

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
    // The request id is what the server's log names: how an operator finds its side.
    const request = d.request_id ? ` [request ${d.request_id}]` : "";
    process.stdout.write(`${d.rejected_at}  ${d.kind} ${d.uuid} (${what}): ${why}${request}\n`);
  }
  if (!o.json && letters.length === 0) process.stdout.write("no dead letters\n");
  const total = buffer.status().dead_letters;
  if (letters.length < total) {
    process.stderr.write(`${letters.length} of ${total} dead letters shown (--limit for more)\n`);
  }
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

export function deadLetters(o: DeadLetterOptions, cmd: Command): Promise<number> {
  if (o.uuid && !o.requeue) throw new Error("--uuid only goes with --requeue");
  return withBuffer(cmd, { create: false }, (buffer) =>
    o.requeue ? requeue(buffer, o.uuid) : list(buffer, o),
  );
}
