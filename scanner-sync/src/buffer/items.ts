// Turns what the device hands over into the wire item it will send: fills in the uuid
// (UUIDv7), this scanner's id and the time, then checks it with the server's schema.

import type * as z from "zod";
import {
  type InvalidAttemptItem,
  type Issue,
  type ItemKind,
  type ScanItem,
  syncInvalidAttempt,
  syncScan,
} from "../wire.js";
import { newUuid } from "./uuid.js";

export interface BuiltItem {
  kind: ItemKind;
  uuid: string;
  event_id: string | null;
  ticket_id: string | null;
  happened_at: string;
  item: ScanItem | InvalidAttemptItem;
  /** `item` as stored and sent: JSON.stringify of it. */
  json: string;
}

export type Built = { ok: true; built: BuiltItem } | { ok: false; issues: Issue[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const asIso = (v: unknown, now: Date) =>
  v === undefined ? now.toISOString() : v instanceof Date ? v.toISOString() : v;

const toIssues = (error: z.ZodError): Issue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));

/** A value that JSON.stringify writes as it is, so JSON.parse would give back an equal one. */
function isJsonValue(v: unknown): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(isJsonValue);
  if (typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return (
    (proto === Object.prototype || proto === null) &&
    !("toJSON" in v) &&
    Object.values(v).every((x) => x !== undefined && isJsonValue(x))
  );
}

/**
 * The parsed record as it travels: times (Dates) as ISO strings, absent fields left out.
 * `item` is what JSON.parse(json) would give, built without parsing again; metadata
 * holding what JSON does not keep (a Date, undefined) is the rare case read back.
 */
function onTheWire<T>(data: Record<string, unknown>): { item: T; json: string } {
  const json = JSON.stringify(data);
  const item: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (value instanceof Date) item[key] = value.toISOString();
    else if (isJsonValue(value)) item[key] = value;
    else item[key] = JSON.parse(JSON.stringify(value));
  }
  return { item: item as T, json };
}

/** Parse with the shared schema and keep the JSON form: what is stored is what is sent. */
function wire<T>(
  schema: z.ZodType,
  input: Record<string, unknown>,
): { ok: true; item: T; json: string } | { ok: false; issues: Issue[] } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error) };
  return { ok: true, ...onTheWire<T>(parsed.data as Record<string, unknown>) };
}

export function buildScan(input: unknown, scannerId: string, now: Date): Built {
  if (!isObject(input)) return { ok: false, issues: [{ path: "", message: "must be a JSON object" }] };
  const out = wire<ScanItem>(syncScan, {
    ...input,
    uuid: input.uuid ?? newUuid(),
    scanner_id: input.scanner_id ?? scannerId,
    scan_timestamp: asIso(input.scan_timestamp, now),
  });
  if (!out.ok) return out;
  const { item, json } = out;
  // POST /sync refuses a scan of another scanner than the batch's; refuse it here, at once.
  if (item.scanner_id !== scannerId) {
    return {
      ok: false,
      issues: [{ path: "scanner_id", message: `must be this device's scanner id (${scannerId})` }],
    };
  }
  const { uuid, event_id, ticket_id, scan_timestamp } = item;
  return {
    ok: true,
    built: { kind: "scan", uuid, event_id, ticket_id, happened_at: scan_timestamp, item, json },
  };
}

export function buildInvalidAttempt(input: unknown, now: Date): Built {
  if (!isObject(input)) return { ok: false, issues: [{ path: "", message: "must be a JSON object" }] };
  const out = wire<InvalidAttemptItem>(syncInvalidAttempt, {
    ...input,
    uuid: input.uuid ?? newUuid(),
    attempt_timestamp: asIso(input.attempt_timestamp, now),
  });
  if (!out.ok) return out;
  const { item, json } = out;
  return {
    ok: true,
    built: {
      kind: "invalid_attempt",
      uuid: item.uuid,
      event_id: item.event_id ?? null,
      ticket_id: item.ticket_id ?? null,
      happened_at: item.attempt_timestamp,
      item,
      json,
    },
  };
}
