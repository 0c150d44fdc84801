// The online admission check, GET /admissions/{ticket_id}: has this ticket been admitted
// to the event, at any gate? A gate asks while a person waits, so when the server gives no
// usable answer in time (down, slow, overloaded, a captive portal) the device answers from
// its own buffer and says why. A refusal of the question itself (token, role, bad id) is
// not an answer either way: it is thrown, for someone to fix.
import * as z from "zod";
import type { ScanBuffer } from "../buffer/scan-buffer.js";
import type { LastScan } from "../buffer/types.js";
import { USER_AGENT } from "../version.js";
import { idString } from "../wire.js";
import { describeError, parseAnswer, tokenHint } from "./answers.js";
import { DEFAULT_ADMISSION_TIMEOUT_MS } from "./defaults.js";
import { SyncFatal } from "./errors.js";
import { serverBase } from "./server-url.js";
import { timedRequest } from "./timed-request.js";

// Not strict: fields a newer server adds do not make its answer a captive portal's page.
const firstEntry = z.object({
  scan_timestamp: z.iso.datetime({ offset: true }),
  scanner_id: z.string().nullable(),
  location: z.string().nullable(),
});
const admissionAnswer = z.object({
  event_id: z.string(),
  ticket_id: z.string(),
  admitted: z.boolean(),
  valid_scans: z.number().int().min(0),
  first_entry: firstEntry.nullable(),
});

export type FirstEntry = z.infer<typeof firstEntry>;
export type AdmissionAnswer = z.infer<typeof admissionAnswer>;

export interface AdmissionCheckOptions {
  /** The server's base URL, as the uploader's (one ending in /sync is the same server). */
  url: string;
  /** A scanner (or reader) token. */
  token?: string | undefined;
  /** This device's buffer; none: the device has recorded nothing (its local answer: no scans). */
  buffer?: ScanBuffer | undefined;
  eventId: string;
  ticketId: string;
  /** How long the server has to answer before the buffer does. Default 1500 ms. */
  timeoutMs?: number | undefined;
  /** The caller giving up: the check then throws the signal's reason. */
  signal?: AbortSignal | undefined;
}

type Answer = Pick<AdmissionAnswer, "admitted" | "valid_scans" | "first_entry">;

export type Admission =
  /**
   * The server's answer, with this device's valid scans it cannot know yet (pending upload)
   * added: `pending_here` of them. While a batch is on its way they may be counted twice.
   */
  | (Answer & { source: "server"; pending_here: number })
  /** This device's own valid scans of the ticket (what it still keeps); `reason`: why not the server's. */
  | (Answer & { source: "local"; reason: string });

/** A device without a buffer: no scans of anything. */
const NONE = { valid_scans: 0, first: null } as const;

const entryOf = (scan: LastScan | null): FirstEntry | null =>
  scan && { scan_timestamp: scan.scan_timestamp, scanner_id: scan.scanner_id, location: scan.location };

function earliest(a: FirstEntry | null, b: FirstEntry | null): FirstEntry | null {
  if (!a || !b) return a ?? b;
  return Date.parse(b.scan_timestamp) < Date.parse(a.scan_timestamp) ? b : a;
}

function checkId(what: string, value: string): string {
  const id = idString.safeParse(value);
  if (!id.success) throw new SyncFatal(`invalid ${what}: ${id.error.issues[0]?.message}`);
  return id.data;
}

export async function checkAdmission(o: AdmissionCheckOptions): Promise<Admission> {
  // Checked here too, so that a malformed id is an error offline as well as online.
  const eventId = checkId("event id", o.eventId);
  const ticketId = checkId("ticket id", o.ticketId);
  const asked = await askServer(o, eventId, ticketId);
  if (!asked.ok) {
    const here = o.buffer?.admissionOf(ticketId, eventId) ?? NONE;
    return {
      source: "local",
      admitted: here.valid_scans > 0,
      valid_scans: here.valid_scans,
      first_entry: entryOf(here.first),
      reason: asked.reason,
    };
  }
  const pending = o.buffer?.admissionOf(ticketId, eventId, { pendingOnly: true }) ?? NONE;
  const a = asked.answer;
  return {
    source: "server",
    admitted: a.admitted || pending.valid_scans > 0,
    valid_scans: a.valid_scans + pending.valid_scans,
    first_entry: earliest(a.first_entry, entryOf(pending.first)),
    pending_here: pending.valid_scans,
  };
}

/** The server's answer, or why there is none to use; throws what retrying cannot fix. */
async function askServer(
  o: AdmissionCheckOptions,
  eventId: string,
  ticketId: string,
): Promise<{ ok: true; answer: AdmissionAnswer } | { ok: false; reason: string }> {
  const url = `${serverBase(o.url)}/admissions/${encodeURIComponent(ticketId)}?event_id=${encodeURIComponent(eventId)}`;
  const reached = await timedRequest({
    method: "GET",
    url,
    headers: {
      Accept: "application/json",
      // The server answers no-store; this asks any cache on the way not to answer for it.
      "Cache-Control": "no-cache",
      "User-Agent": USER_AGENT,
      ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}),
    },
    timeoutMs: o.timeoutMs ?? DEFAULT_ADMISSION_TIMEOUT_MS,
    signal: o.signal,
  });
  if (reached.type === "aborted") throw o.signal?.reason;
  if (reached.type === "unreachable") return { ok: false, reason: reached.reason };
  const res = reached.answer;
  const { status } = res;
  if (status >= 200 && status < 300) {
    const answer = parseAnswer(admissionAnswer, res.text);
    if (answer && answer.event_id === eventId && answer.ticket_id === ticketId) return { ok: true, answer };
    return {
      ok: false,
      reason: `${status} from ${url} is not an admission answer for this ticket (a captive portal or a proxy?)`,
    };
  }
  const why = describeError(res);
  if (status === 401) {
    throw new SyncFatal(`the server refused the token (401 ${why}); ${tokenHint(Boolean(o.token))}`, status);
  }
  if (status === 403)
    throw new SyncFatal(`the server refused this token for admission checks (403 ${why})`, status);
  if (status === 400) throw new SyncFatal(`the server refused the question (400 ${why})`, status);
  if (status === 404)
    return { ok: false, reason: `no GET /admissions at ${url} (404: an older server, or the wrong URL?)` };
  // 5xx, 429 and the rest (a captive portal's redirect): the server cannot answer now.
  return { ok: false, reason: `server answered ${status} (${why})` };
}
