// What `check` does: one admission check (the server's answer, else the buffer's), printed
// as one JSON line; the exit code is the answer a gate app branches on (CHECK_EXIT).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { ScanBuffer } from "../../buffer/scan-buffer.js";
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

export async function check(o: CheckOptions, cmd: Command): Promise<number> {
  const g = globals(cmd);
  if (!g.url) throw new Error("no server URL: pass --url or set SYNC_URL");
  const url = g.url;
  const ask = async (buffer?: ScanBuffer) => {
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
  };
  // A gate may check before its first record: no buffer yet is no scans here, not an
  // error (and nothing to create: that needs the scanner id, which a check does not).
  if (g.db !== ":memory:" && !existsSync(g.db)) {
    process.stderr.write(`note: no buffer at ${resolve(g.db)}: answering without this device's scans\n`);
    return ask();
  }
  return withBuffer(cmd, { create: false }, ask);
}
