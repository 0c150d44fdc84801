// Turns what the device hands over into the wire item it will send: fills in the uuid
// (UUIDv7), this scanner's id and the time, then checks it with the server's schema.
import { uuidv7 } from "uuidv7";
import type * as z from "zod";
import {
  type InvalidAttemptItem,
  type Issue,
  type ItemKind,
  type ScanItem,
  syncInvalidAttempt,
  syncScan,
} from "../wire.js";

export interface BuiltItem {
  kind: ItemKind;
  uuid: string;
  event_id: string | null;
  ticket_id: string | null;
  happened_at: string;
  item: ScanItem | InvalidAttemptItem;
}

export type Built = { ok: true; built: BuiltItem } | { ok: false; issues: Issue[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const asIso = (v: unknown, now: Date) =>
  v === undefined ? now.toISOString() : v instanceof Date ? v.toISOString() : v;

const toIssues = (error: z.ZodError): Issue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));

/** Parse with the shared schema and keep the JSON form: what is stored is what is sent. */
function wire<T>(
  schema: z.ZodType,
  input: Record<string, unknown>,
): { ok: true; item: T } | { ok: false; issues: Issue[] } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error) };
  return { ok: true, item: JSON.parse(JSON.stringify(parsed.data)) as T };
}

export function buildScan(input: unknown, scannerId: string, now: Date): Built {
  if (!isObject(input)) return { ok: false, issues: [{ path: "", message: "must be a JSON object" }] };
  const out = wire<ScanItem>(syncScan, {
    ...input,
    uuid: input.uuid ?? uuidv7(),
    scanner_id: input.scanner_id ?? scannerId,
    scan_timestamp: asIso(input.scan_timestamp, now),
  });
  if (!out.ok) return out;
  const { item } = out;
  // POST /sync refuses a scan of another scanner than the batch's; refuse it here, at once.
  if (item.scanner_id !== scannerId) {
    return {
      ok: false,
      issues: [{ path: "scanner_id", message: `must be this device's scanner id (${scannerId})` }],
    };
  }
  const { uuid, event_id, ticket_id, scan_timestamp } = item;
  return { ok: true, built: { kind: "scan", uuid, event_id, ticket_id, happened_at: scan_timestamp, item } };
}

export function buildInvalidAttempt(input: unknown, now: Date): Built {
  if (!isObject(input)) return { ok: false, issues: [{ path: "", message: "must be a JSON object" }] };
  const out = wire<InvalidAttemptItem>(syncInvalidAttempt, {
    ...input,
    uuid: input.uuid ?? uuidv7(),
    attempt_timestamp: asIso(input.attempt_timestamp, now),
  });
  if (!out.ok) return out;
  const { item } = out;
  return {
    ok: true,
    built: {
      kind: "invalid_attempt",
      uuid: item.uuid,
      event_id: item.event_id ?? null,
      ticket_id: item.ticket_id ?? null,
      happened_at: item.attempt_timestamp,
      item,
    },
  };
}
