// What `check` does: one admission check (the server's answer, else the buffer's), printed
// as one JSON line; the exit code is the answer a gate app branches on (CHECK_EXIT).
import type { Command } from "commander";
import { type Admission, checkAdmission } from "../../upload/admission.js";
import { CHECK_EXIT } from "../errors.js";
import { globals } from "../options.js";
import { withBuffer } from "./with-buffer.js";

export interface CheckOptions {
  eventId: string;
  ticketId: string;
  timeout: number;
}

/** Only the server can say "not admitted": this device alone knows only its own scans. */
function checkExitCode(a: Admission): number {
  if (a.admitted) return CHECK_EXIT.admitted;
  return a.source === "server" ? CHECK_EXIT.notAdmitted : CHECK_EXIT.unknown;
}

export function check(o: CheckOptions, cmd: Command): Promise<number> {
  const g = globals(cmd);
  if (!g.url) throw new Error("no server URL: pass --url or set SYNC_URL");
  const url = g.url;
  // Created when missing, as `sync` does: a gate may check before its first record.
  return withBuffer(cmd, { create: true }, async (buffer) => {
    const a = await checkAdmission({
      url,
      token: g.token,
      buffer,
      eventId: o.eventId,
      ticketId: o.ticketId,
      timeoutMs: o.timeout,
    });
    process.stdout.write(`${JSON.stringify(a)}\n`);
    return checkExitCode(a);
  });
}
