// Wire schemas of the records: the one source of truth for what the HTTP API and the
// gate scanners (scanner-sync) accept. Types elsewhere are inferred from these.
import * as z from "zod";
import { LAST_PLAIN_YEAR_MS } from "./iso-time.js";

// A field left out says so in plain words ("event_id: required") instead of as a type
// mismatch with `undefined`. zod's error configuration is the process's (every schema:
// these records, the routes' queries, the config); set here, where the wire schemas the
// server and the gate devices share are made.
z.config({
  customError: (iss) => (iss.code === "invalid_type" && iss.input === undefined ? "required" : undefined),
});

export const LIMITS = {
  id: 128,
  text: 1024,
  metadataBytes: 8 * 1024,
  metadataDepth: 32,
  futureSkewMs: 24 * 60 * 60 * 1000,
  listDefault: 50,
  listMax: 1000,
} as const;

/**
 * Each building block of the records below has a reader of its own for the fast path of
 * batch uploads (./quick-parse.ts): the same rules applied without zod, answering the
 * value zod would answer, or BAIL when zod must decide (and say what is wrong).
 */
export const BAIL: unique symbol = Symbol("bail");
export type QuickReader = (value: unknown) => unknown;
export const QUICK_READERS = new Map<z.ZodType, QuickReader>();
function block<S extends z.ZodType>(schema: S, read: QuickReader): S {
  QUICK_READERS.set(schema, read);
  return schema;
}

type Ctx<T> = { value: T; issues: z.core.$ZodRawIssue[] };
const fail = (ctx: Ctx<unknown>, message: string) => {
  ctx.issues.push({ code: "custom", message, input: ctx.value });
};

interface TextRules {
  max: number;
  nonEmpty: boolean;
  tooLong: string;
}
const textRules = (max: number, nonEmpty: boolean): TextRules => ({
  max,
  nonEmpty,
  tooLong: `must be at most ${max} characters`,
});

/** The code points of a text: its UTF-16 units less one for each surrogate pair. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * What is wrong with a text field (null: nothing). One pass, as it runs on every string
 * of every record (isWellFormed is native). NUL and lone UTF-16 surrogates: Postgres
 * refuses both (text and jsonb), so they are refused for every driver.
 */
function textProblems(s: string, r: TextRules): string[] | null {
  const empty = r.nonEmpty && s.length === 0;
  // Characters as JSON Schema's maxLength counts them (code points), not UTF-16 units: an
  // emoji is one. Counted only for a text whose units are over the limit.
  const long = s.length > r.max && codePoints(s) > r.max;
  const nul = s.includes("\u0000");
  const broken = !s.isWellFormed();
  // Nearly every text passes: that case allocates nothing.
  if (!empty && !long && !nul && !broken) return null;
  const problems: string[] = [];
  if (empty) problems.push("must not be empty");
  if (long) problems.push(r.tooLong);
  if (nul) problems.push("must not contain NUL characters");
  if (broken) problems.push("must be valid Unicode (no lone surrogates)");
  return problems;
}

/** What the OpenAPI document says of a text: the rules above, as JSON Schema and words. */
function textDoc(r: TextRules, trim: boolean) {
  const rules = [
    trim ? "surrounding whitespace is trimmed, and the rules apply to what remains" : "",
    "no NUL characters or lone UTF-16 surrogates",
  ].filter(Boolean);
  return {
    maxLength: r.max,
    ...(r.nonEmpty ? { minLength: 1 } : {}),
    description: `At most ${r.max} characters${r.nonEmpty ? ", not empty" : ""}; ${rules.join("; ")}.`,
  };
}

/** A text schema with its rules; `trim`: the rules apply to the trimmed text, which is the value. */
function text(r: TextRules, trim: boolean) {
  const base = trim ? z.string().trim() : z.string();
  const schema = base
    .check((ctx) => {
      for (const message of textProblems(ctx.value, r) ?? []) fail(ctx, message);
    })
    .meta(textDoc(r, trim));
  return block(schema, (v) => {
    if (typeof v !== "string") return BAIL;
    const s = trim ? v.trim() : v;
    return textProblems(s, r) === null ? s : BAIL;
  });
}

/** Identifiers: ticket, event, user, scanner ids and the like. */
export const idString = text(textRules(LIMITS.id, true), true);

/** Free text: locations, reasons, user agents. */
export const textString = text(textRules(LIMITS.text, false), false);

/** Free text that must say something (an invalid attempt's reason). */
export const requiredText = text(textRules(LIMITS.text, true), false);

/**
 * A number JSON.parse could not hold as sent: 1e309 is Infinity (stored as null), and from
 * 2^53 on a double no longer holds every whole number (12345678901234567890 would come back
 * as 12345678901234567000). Which of those were sent exactly cannot be told once parsed:
 * all are refused. Decimals keep a double's precision, as JSON readers everywhere do.
 */
const INEXACT_NUMBER =
  "numbers must be finite and under 2^53 in magnitude (send larger ones as strings: they would not come back as sent)";
const inexact = (n: number) => !(Math.abs(n) <= Number.MAX_SAFE_INTEGER);

/**
 * What of `value`'s own shape it may not keep, if anything: nesting objects or arrays more
 * than `max` levels deep, or a number that would not come back as sent. A loop, not a
 * recursion, that stops as soon as it knows: JSON.parse takes any depth, but a recursive
 * walk (or JSON.stringify) of 5,000 levels overflows the stack.
 */
function shapeProblem(value: unknown, max: number): string | null {
  const stack: { v: object; depth: number }[] = [];
  if (typeof value === "object" && value !== null) stack.push({ v: value, depth: 1 });
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.depth > max) return `must not nest deeper than ${max} levels`;
    for (const child of Object.values(top.v)) {
      if (typeof child === "object" && child !== null) stack.push({ v: child, depth: top.depth + 1 });
      else if (typeof child === "number" && inexact(child)) return INEXACT_NUMBER;
    }
  }
  return null;
}

const utf8 = new TextEncoder();
// JSON.stringify escapes exactly the lone surrogates (as \udXXX), which Postgres refuses.
const ESCAPED_LONE_SURROGATE = /\\ud[89a-f][0-9a-f]{2}/i;

function metadataProblems(value: Record<string, unknown>): string[] {
  // First, as nothing below could measure a value nested that deep.
  const shape = shapeProblem(value, LIMITS.metadataDepth);
  if (shape !== null) return [shape];
  const json = JSON.stringify(value);
  const problems: string[] = [];
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long text needs encoding to be measured.
  if (json.length * 3 > LIMITS.metadataBytes && utf8.encode(json).length > LIMITS.metadataBytes) {
    problems.push(`must be at most ${LIMITS.metadataBytes} bytes of JSON`);
  }
  // Postgres jsonb cannot hold U+0000, and neither can text columns.
  if (json.includes("\\u0000")) problems.push("must not contain NUL characters");
  if (ESCAPED_LONE_SURROGATE.test(json)) problems.push("must be valid Unicode (no lone surrogates)");
  return problems;
}

export const metadata = block(
  z
    .record(z.string(), z.unknown())
    .check((ctx) => {
      for (const message of metadataProblems(ctx.value))
        ctx.issues.push({ code: "custom", message, input: ctx.value });
    })
    .meta({
      description: `Any JSON object: at most ${LIMITS.metadataBytes} bytes as JSON, nested at most ${LIMITS.metadataDepth} levels, no NUL characters or lone surrogates; numbers finite and under 2^53 in magnitude (larger ones as strings).`,
    }),
  // A plain object of string keys, as JSON gives; zod answers a copy of the same keys and
  // values. Anything odd (symbol keys, an own __proto__, another prototype): zod decides.
  (v) =>
    typeof v === "object" &&
    v !== null &&
    Object.getPrototypeOf(v) === Object.prototype &&
    !Object.hasOwn(v, "__proto__") &&
    Object.getOwnPropertySymbols(v).length === 0 &&
    metadataProblems(v as Record<string, unknown>).length === 0
      ? { ...(v as Record<string, unknown>) }
      : BAIL,
);

// ISO 8601 date-time; without an offset it is read as UTC (DESIGN.md). No flags: the
// OpenAPI document carries its source as the pattern of every timestamp.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

// The form devices and JSON.stringify send, read digit by digit: every record carries one,
// and this is ~10x cheaper than the general parse (or Date's own).
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const digits = (s: string, at: number, n: number) => {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + s.charCodeAt(i) - 48;
  return v;
};
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const daysIn = (year: number, month: number): number => {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
};

function parseCanonical(s: string): Date | null {
  const [year, month, day] = [digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2)];
  const days = daysIn(year, month);
  const [h, mi, sec] = [digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2)];
  if (day < 1 || day > days || h > 23 || mi > 59 || sec > 59) return null;
  return new Date(Date.UTC(year, month - 1, day, h, mi, sec, digits(s, 20, 3)));
}

export function parseTimestamp(input: string): Date | null {
  // Before 1970 (years 0-99 among them) takes the general path, which keeps every year as sent.
  if (CANONICAL.test(input) && input >= "1970") return parseCanonical(input);
  const m = ISO.exec(input);
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", zone = "Z"] = m;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  // Date.UTC would roll 2024-02-31 over into March; refuse what is not a real date.
  if (day < 1 || day > daysIn(year, month)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  // Date.UTC reads years 0-99 as 1900-1999: those are placed 400 years on (the calendar
  // repeats every 400) and set back, so a year is kept as sent, never moved.
  const early = year < 100;
  const ms0 = Number(frac.padEnd(3, "0").slice(0, 3));
  const date = new Date(
    Date.UTC(early ? year + 400 : year, month - 1, day, Number(h), Number(mi), Number(sec), ms0),
  );
  if (early) date.setUTCFullYear(year);
  let ms = date.getTime();
  if (zone.toUpperCase() !== "Z") {
    const [, sign, oh, om = "0"] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) ?? [];
    if (Number(oh) > 23 || Number(om) > 59) return null;
    ms -= (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  }
  return new Date(ms);
}

const NOT_A_TIMESTAMP = "must be an ISO 8601 timestamp, e.g. 2024-01-15T10:30:45Z";
const BEFORE_1970 = "must be in 1970 or later";
const AFTER_9999 = "must be in the year 9999 or earlier, in UTC";

/** What is wrong with a parsed time's year, if anything: 1970 to 9999 in UTC, as every driver stores and writes them. */
const yearIssue = (date: Date): string | null =>
  date.getUTCFullYear() < 1970 ? BEFORE_1970 : date.getTime() > LAST_PLAIN_YEAR_MS ? AFTER_9999 : null;

const TIME_EXAMPLE = "2024-01-15T10:30:45Z";

/** The document's word on timestamps sent to the API. */
const timeDoc = (extra: string) => ({
  pattern: ISO.source,
  example: TIME_EXAMPLE,
  description: `ISO 8601, from 1970 to the year 9999 (UTC); without an offset it is UTC.${extra}`,
});

/**
 * Any instant, as in a query's `from`/`to`: documented without an example, which the docs
 * page would fill into an optional filter's box (every export and listing "tried" then
 * asked for the records of one second).
 */
export const instant = z
  .string()
  .transform((value, ctx) => {
    const date = parseTimestamp(value);
    // 9999-12-31T23:00:00-08:00 is in the year 10000 (Postgres refused it: a 500).
    const issue = date ? yearIssue(date) : NOT_A_TIMESTAMP;
    if (date && issue === null) return date;
    ctx.addIssue({ code: "custom", message: issue ?? NOT_A_TIMESTAMP });
    return z.NEVER;
  })
  .meta({ ...timeDoc(""), example: undefined });

/** A record's own time as a Date, or what is wrong with it. */
function recordTime(value: string): Date | string {
  const date = parseTimestamp(value);
  if (!date) return NOT_A_TIMESTAMP;
  const issue = yearIssue(date);
  if (issue !== null) return issue;
  if (date.getTime() > Date.now() + LIMITS.futureSkewMs)
    return "must not be more than 24 hours in the future";
  return date;
}

/** A record's own time: when the scan, transfer or attempt happened. One step, as every record has one. */
export const timestamp = block(
  z
    .string()
    .transform((value, ctx) => {
      const time = recordTime(value);
      if (typeof time !== "string") return time;
      ctx.addIssue({ code: "custom", message: time });
      return z.NEVER;
    })
    .meta(timeDoc(" At most 24 hours in the future. Left out: the time the server receives it.")),
  (v) => {
    if (typeof v !== "string") return BAIL;
    const time = recordTime(v);
    return typeof time === "string" ? BAIL : time;
  },
);

// The pattern z.uuid() checks, for the fast path.
const UUID = z.regexes.uuid();
// A check that rewrites (overwrite) costs less than a transform, which zod runs as a pipe.
export const uuid = block(
  // Left out (where it is required: a sync item), "required", as any other field.
  z
    .uuid({ error: (iss) => (iss.input === undefined ? "required" : "must be a UUID") })
    .overwrite((s) => s.toLowerCase())
    .meta({
      description: "A UUID, any version; kept and answered in lowercase (it matches whatever its case).",
    }),
  (v) => (typeof v === "string" && UUID.test(v) ? v.toLowerCase() : BAIL),
);

/** A yes/no field (with a default where it is optional). */
export const flag = block(z.boolean(), (v) => (typeof v === "boolean" ? v : BAIL));

const common = {
  uuid: uuid.optional(),
  ip_address: idString.optional(),
  user_agent: textString.optional(),
  additional_metadata: metadata.optional(),
};

export const scanInput = z.strictObject({
  uuid: common.uuid,
  ticket_id: idString,
  event_id: idString,
  scanner_id: idString.optional(),
  scan_timestamp: timestamp.optional(),
  is_valid: flag.default(true),
  location: textString.optional(),
  device_info: textString.optional(),
  additional_metadata: common.additional_metadata,
});

export const transferInput = z.strictObject({
  ...common,
  ticket_id: idString,
  event_id: idString,
  from_user_id: idString,
  to_user_id: idString,
  transfer_timestamp: timestamp.optional(),
  transfer_reason: textString.optional(),
  is_successful: flag.default(true),
});

export const invalidAttemptInput = z.strictObject({
  ...common,
  attempt_type: idString,
  reason: requiredText,
  ticket_id: idString.optional(),
  event_id: idString.optional(),
  attempt_timestamp: timestamp.optional(),
});

export type ScanInput = z.input<typeof scanInput>;
export type TransferInput = z.input<typeof transferInput>;
export type InvalidAttemptInput = z.input<typeof invalidAttemptInput>;
export type ScanData = z.output<typeof scanInput>;
export type TransferData = z.output<typeof transferInput>;
export type InvalidAttemptData = z.output<typeof invalidAttemptInput>;

/**
 * A whole number given in a query: digits only (a coercion would take `0x10`, `1e2` or ` 5`),
 * however many: one too large is told so by its schema's bound, not called no number.
 */
const queryNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v), schema);

/** A page's size, in the listings' and the alerts' queries: 1..1000, 50 when left out. */
export const listLimit = queryNumber(
  z
    .number({ error: "must be a whole number" })
    // abort: past its bound, a number of 20 digits is not also "not an integer".
    .max(LIMITS.listMax, { error: `must be at most ${LIMITS.listMax}`, abort: true })
    .int("must be an integer")
    .min(1, "must be at least 1")
    .default(LIMITS.listDefault),
);

/** A query's `from` and `to` (each optional): `from` after `to` is a mistake, not an empty range. */
export const fromNotAfterTo: [
  (q: { from?: Date | undefined; to?: Date | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (q) => !q.from || !q.to || q.from.getTime() <= q.to.getTime(),
  { message: "must not be after `to`", path: ["from"] },
];

/**
 * Query of the three listings; `before_id` pages further back. Strict, as the export's: a
 * misspelt `form` ignored would answer the newest records as if they were the ones asked
 * for, and `from` after `to` is a mistake, not an empty range.
 */
export const listQuery = z
  .strictObject({
    event_id: idString,
    limit: listLimit,
    before_id: queryNumber(
      z
        .number({ error: "must be a whole number" })
        .max(Number.MAX_SAFE_INTEGER, { error: `must be at most ${Number.MAX_SAFE_INTEGER}`, abort: true })
        .int()
        .positive("must be at least 1")
        .optional(),
    ).meta({
      description:
        "The last `id` of the previous page. A record no longer stored (retention) is a 400: an empty page is the end of the list.",
    }),
    from: instant.optional(),
    to: instant.optional(),
  })
  .refine(...fromNotAfterTo);
export type ListQuery = z.output<typeof listQuery>;

export const statsQuery = z.strictObject({ event_id: idString.optional() });

/** POST /sync: the batch upload of gate scanners. */
export const SYNC_LIMITS = { items: 1000, bodyBytes: 1024 * 1024 } as const;

/** Items of a sync batch always carry their uuid: it is what makes a retry harmless. */
export const syncScan = scanInput.extend({ uuid });
export const syncInvalidAttempt = invalidAttemptInput.extend({ uuid });

export const deviceBacklog = z.strictObject({
  pending: z.number().int().min(0).max(2_147_483_647), // a Postgres integer
  oldest_pending_at: instant.nullable().optional(),
  app_version: idString.optional(),
});

/**
 * The envelope of a sync batch. Items are checked one by one afterwards (syncScan,
 * syncInvalidAttempt), so one bad record is rejected alone and never blocks the queue.
 */
export const syncRequest = z.strictObject({
  scanner_id: idString,
  // The device's clock when it sent the batch: with the receive time it gives the
  // device's clock offset. Any time from 1970 to 9999: a wrong clock is what it reveals.
  sent_at: instant.meta({
    example: TIME_EXAMPLE,
    description:
      "The device's clock when it sent the batch, stamped on each attempt. Off by more than a day from the server's receive time, the device's clock is taken as wrong: the times its items were recorded at before this one are moved by that much, onto the server's clock. Within a day they are stored as sent.",
  }),
  scans: z.array(z.unknown()).default([]),
  invalid_attempts: z.array(z.unknown()).default([]),
  device: deviceBacklog.optional(),
});

/**
 * The sync envelope as the OpenAPI document shows it: with its items described, although
 * each item is checked on its own (an invalid one comes back in `rejected`, never as a 400).
 */
export const syncRequestDoc = syncRequest.extend({
  scans: z.array(syncScan).max(SYNC_LIMITS.items).default([]),
  invalid_attempts: z.array(syncInvalidAttempt).max(SYNC_LIMITS.items).default([]),
});

export type SyncScanInput = z.input<typeof syncScan>;
export type SyncInvalidAttemptInput = z.input<typeof syncInvalidAttempt>;
export type SyncRequestInput = z.input<typeof syncRequest>;
export type SyncRequest = z.output<typeof syncRequest>;

/** POST /admin/revocations: the scanner whose tokens issued until now are refused from now on. */
export const revocationRequest = z.strictObject({ scanner_id: idString });

/** One refusal: where (the dotted path of the field) and what is wrong. */
export const issue = z.object({ path: z.string(), message: z.string() });

export const syncRejection = z.object({
  kind: z.enum(["scan", "invalid_attempt"]),
  /** The item's place in its array of the batch. */
  index: z.int().min(0),
  uuid: z.string().nullable(),
  issues: z.array(issue),
});

/** What POST /sync answers: every item is accepted, a duplicate, or rejected with its issues. */
export const syncResponse = z.object({
  accepted: z.int().min(0),
  duplicates: z.int().min(0),
  rejected: z.array(syncRejection),
});

export type SyncRejection = z.output<typeof syncRejection>;
export type SyncResponse = z.output<typeof syncResponse>;
