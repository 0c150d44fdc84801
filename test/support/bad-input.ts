// Every kind of bad input of DESIGN.md, written once: what each record kind gets wrong
// (refused with 400 by its single-record route, rejected alone as an item of POST /sync),
// what a whole body gets wrong (400 or 413), and bad queries of the reads (400). The
// checks that send them are in ./bad-input-checks.ts.

import { SPEC, syncAttempt, syncScan } from "./records.js";
import type { RawCounts } from "./test-store.js";

type Json = Record<string, unknown>;

export interface RecordKind {
  kind: "scan" | "transfer" | "invalid_attempt";
  route: "/scans" | "/transfers" | "/invalid-attempts";
  /** A valid record of event `e`, as its single-record route takes it. */
  record(e: string): Json;
  /** Its array in a POST /sync body and a valid item of it; transfers are not synced. */
  sync?: { key: "scans" | "invalid_attempts"; item(e: string): Json };
  /** A required id, a free text, its own time and its yes/no field (if any). */
  fields: { id: string; text: string; time: string; flag?: string };
  /** The raw count a stored record of this kind adds to. */
  counted: keyof RawCounts;
}

export const RECORD_KINDS: RecordKind[] = [
  {
    kind: "scan",
    route: "/scans",
    record: (e) => ({ ...SPEC.scan, event_id: e }),
    sync: { key: "scans", item: (e) => syncScan(e) },
    fields: { id: "ticket_id", text: "location", time: "scan_timestamp", flag: "is_valid" },
    counted: "scan_count",
  },
  {
    kind: "transfer",
    route: "/transfers",
    record: (e) => ({ ...SPEC.transfer, event_id: e }),
    fields: {
      id: "from_user_id",
      text: "transfer_reason",
      time: "transfer_timestamp",
      flag: "is_successful",
    },
    counted: "transfer_count",
  },
  {
    kind: "invalid_attempt",
    route: "/invalid-attempts",
    record: (e) => ({ ...SPEC.invalidAttempt, event_id: e }),
    sync: { key: "invalid_attempts", item: (e) => syncAttempt(e) },
    fields: { id: "attempt_type", text: "reason", time: "attempt_timestamp" },
    counted: "invalid_attempt_count",
  },
];

/** `levels` objects nested in one another, as JSON text: JSON.stringify (recursive) cannot write 100,000. */
export const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

const nested = (levels: number): Json => (levels === 0 ? {} : { a: nested(levels - 1) });

/** `value` as JSON with each `"<placeholder>"` string replaced by its raw JSON text. */
export function jsonWith(value: unknown, raw: Record<string, string> = {}): string {
  let text = JSON.stringify(value);
  for (const [placeholder, json] of Object.entries(raw)) text = text.replace(`"${placeholder}"`, json);
  return text;
}

export interface RecordCase {
  name: string;
  /** Fields set on (or, as undefined, taken off) a valid record. */
  over: Json;
  /** Fields whose value is raw JSON text, too deep to build as an object. */
  raw?: Record<string, string>;
  /** The issue it is refused with: its field, and the rule's message where the case is about one rule. */
  issue: { path: string; message?: string };
}

const DEEP = "__deep_metadata__";
const BIG = "__big_number__";
const NUMBER_MESSAGE =
  "numbers must be finite and under 2^53 in magnitude (send larger ones as strings: they would not come back as sent)";
const ISO_MESSAGE = "must be an ISO 8601 timestamp";

export function recordCases(k: RecordKind): RecordCase[] {
  const { id, text, time, flag } = k.fields;
  const meta = "additional_metadata";
  const cases: RecordCase[] = [
    { name: "a missing required field", over: { [id]: undefined }, issue: { path: id, message: "required" } },
    { name: "a number where a string belongs", over: { [id]: 123 }, issue: { path: id } },
    { name: "an empty id", over: { [id]: "  " }, issue: { path: id, message: "must not be empty" } },
    {
      name: "an id over 128 characters",
      over: { [id]: "x".repeat(129) },
      issue: { path: id, message: "must be at most 128 characters" },
    },
    {
      name: "free text over 1024 characters",
      over: { [text]: "x".repeat(1025) },
      issue: { path: text, message: "must be at most 1024 characters" },
    },
    {
      name: "a NUL character in an id",
      over: { [id]: "ticket\u0000x" },
      issue: { path: id, message: "must not contain NUL characters" },
    },
    {
      name: "a NUL character in free text",
      over: { [text]: "gate\u0000" },
      issue: { path: text, message: "must not contain NUL characters" },
    },
    {
      name: "a NUL character inside metadata",
      over: { [meta]: { note: "a\u0000b" } },
      issue: { path: meta, message: "must not contain NUL characters" },
    },
    {
      name: "metadata over 8 KiB",
      over: { [meta]: { blob: "x".repeat(8200) } },
      issue: { path: meta, message: "must be at most 8192 bytes of JSON" },
    },
    {
      name: "a lone UTF-16 surrogate in an id",
      over: { [id]: "ticket\ud800" },
      issue: { path: id, message: "must be valid Unicode (no lone surrogates)" },
    },
    {
      name: "a lone UTF-16 surrogate inside metadata",
      over: { [meta]: { note: "\udc00" } },
      issue: { path: meta, message: "must be valid Unicode (no lone surrogates)" },
    },
    {
      name: "metadata nested 40 levels deep",
      over: { [meta]: nested(40) },
      issue: { path: meta, message: "must not nest deeper than 32 levels" },
    },
    {
      name: "metadata nested 5,000 levels deep",
      over: { [meta]: DEEP },
      raw: { [DEEP]: deepJson(5000) },
      issue: { path: meta, message: "must not nest deeper than 32 levels" },
    },
    {
      // JSON.parse reads it as Infinity, which would be stored as null.
      name: "a number beyond a double's range inside metadata",
      over: { [meta]: { reading: BIG } },
      raw: { [BIG]: "1e309" },
      issue: { path: meta, message: NUMBER_MESSAGE },
    },
    {
      // JSON.parse rounds it: 12345678901234567890 would come back as 12345678901234567000.
      name: "a whole number beyond 2^53 inside metadata",
      over: { [meta]: { order: BIG } },
      raw: { [BIG]: "12345678901234567890" },
      issue: { path: meta, message: NUMBER_MESSAGE },
    },
    { name: "metadata that is not an object", over: { [meta]: "battery=80" }, issue: { path: meta } },
    { name: "an unknown field", over: { is_vaild: false }, issue: { path: "", message: "is_vaild" } },
    { name: "a uuid that is not a UUID", over: { uuid: "not-a-uuid" }, issue: { path: "uuid" } },
    {
      name: "a timestamp that does not parse",
      over: { [time]: "yesterday at noon" },
      issue: { path: time, message: ISO_MESSAGE },
    },
    {
      name: "an impossible date (February 31st)",
      over: { [time]: "2024-02-31T10:00:00Z" },
      issue: { path: time, message: ISO_MESSAGE },
    },
    {
      name: "a timestamp more than 24 h in the future",
      over: { [time]: new Date(Date.now() + 25 * 3600_000).toISOString() },
      issue: { path: time, message: "must not be more than 24 hours in the future" },
    },
    {
      // Date.UTC reads years 0-99 as 19xx: the record must be refused, never stored as 1999.
      name: "a time in the year 99 (0099-06-15)",
      over: { [time]: "0099-06-15T12:00:00Z" },
      issue: { path: time, message: "must be in 1970 or later" },
    },
  ];
  if (flag)
    cases.push({ name: "a string where a boolean belongs", over: { [flag]: "yes" }, issue: { path: flag } });
  return cases;
}

/** A record case applied to a valid record: the JSON text sent, and the uuid it carries. */
export function badRecord(valid: Json, c: RecordCase): { json: string; uuid: unknown } {
  const record = { ...valid, ...c.over };
  return { json: jsonWith(record, c.raw), uuid: record.uuid };
}

export interface BodyCase {
  name: string;
  body(e: string): string | Uint8Array;
  status: 400 | 413;
  error: "malformed_json" | "validation_failed" | "payload_too_large";
}

const NOT_UTF8 = "__not_utf8__";
/** `value` as UTF-8 JSON with its `"__not_utf8__"` string's bytes ED A0 80, which UTF-8 forbids. */
function notUtf8(value: unknown): Uint8Array {
  const [before = "", after = ""] = JSON.stringify(value).split(NOT_UTF8);
  const utf8 = new TextEncoder();
  return new Uint8Array([...utf8.encode(before), 0xed, 0xa0, 0x80, ...utf8.encode(after)]);
}

/** What a whole body gets wrong, on a single-record route. */
export function recordBodyCases(k: RecordKind): BodyCase[] {
  return [
    { name: "malformed JSON", body: (e) => `{"event_id": "${e}", `, status: 400, error: "malformed_json" },
    { name: "an empty body", body: () => "", status: 400, error: "malformed_json" },
    {
      // Read leniently, its text would be stored with U+FFFD for the bytes it had.
      name: "bytes that are not UTF-8 (an encoded lone surrogate) in a text",
      body: (e) => notUtf8({ ...k.record(e), [k.fields.text]: NOT_UTF8 }),
      status: 400,
      error: "malformed_json",
    },
    {
      name: "a JSON array",
      body: (e) => JSON.stringify([k.record(e)]),
      status: 400,
      error: "validation_failed",
    },
    { name: "JSON null", body: () => "null", status: 400, error: "validation_failed" },
    {
      name: "a body over 64 KiB",
      body: (e) => JSON.stringify({ ...k.record(e), additional_metadata: { blob: "x".repeat(70_000) } }),
      status: 413,
      error: "payload_too_large",
    },
    {
      // 600 KB: the body limit refuses it before anything parses it.
      name: "metadata nested 100,000 levels deep",
      body: (e) => jsonWith({ ...k.record(e), additional_metadata: DEEP }, { [DEEP]: deepJson(100_000) }),
      status: 413,
      error: "payload_too_large",
    },
  ];
}
