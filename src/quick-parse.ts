// The fast path of batch uploads: a strict object schema read field by field with the
// building blocks' own readers (records.ts), without zod's machinery. A sync batch checks
// up to 1000 items, and zod was most of the server's time on them. The reader is derived
// from the schema itself, so it cannot drift from it: a field it does not recognise
// means no fast path at all. Anything the readers are not sure of (a wrong type, a
// broken rule, an odd object) goes to zod, which decides and says what is wrong; so the
// fast path only ever answers what zod would answer for a valid input.
import * as z from "zod";
import { BAIL, QUICK_READERS, type QuickReader } from "./records.js";

interface Field {
  key: string;
  read: QuickReader;
  /** Absent: required (no value), optional (left out), or the default. */
  absent: { kind: "required" } | { kind: "optional" } | { kind: "default"; value: unknown };
}

function fieldOf(key: string, schema: z.ZodType): Field | null {
  if (schema instanceof z.ZodOptional) {
    const read = QUICK_READERS.get(schema.unwrap() as z.ZodType);
    return read ? { key, read, absent: { kind: "optional" } } : null;
  }
  if (schema instanceof z.ZodDefault) {
    const read = QUICK_READERS.get(schema.unwrap() as z.ZodType);
    const value: unknown = schema.def.defaultValue;
    // A default that is an object would be shared between records: not worth the risk.
    if (!read || (typeof value === "object" && value !== null)) return null;
    return { key, read, absent: { kind: "default", value } };
  }
  const read = QUICK_READERS.get(schema);
  return read ? { key, read, absent: { kind: "required" } } : null;
}

/** The fields of a strict object schema, or null when any of them has no reader. */
function fieldsOf(schema: z.ZodObject): Field[] | null {
  if (!(schema.def.catchall instanceof z.ZodNever)) return null;
  const fields: Field[] = [];
  for (const [key, field] of Object.entries(schema.shape)) {
    const f = fieldOf(key, field as z.ZodType);
    if (!f) return null;
    fields.push(f);
  }
  return fields;
}

/** `input` as `fields` read it, or undefined when zod must decide. */
function readQuick(fields: Field[], input: unknown): Record<string, unknown> | undefined {
  if (typeof input !== "object" || input === null || Object.getPrototypeOf(input) !== Object.prototype) {
    return undefined;
  }
  const object = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let present = 0;
  for (const f of fields) {
    const v = object[f.key];
    if (v === undefined) {
      // A key given as undefined (not from JSON) or a required one missing: zod's call.
      if (f.absent.kind === "required" || Object.hasOwn(object, f.key)) return undefined;
      if (f.absent.kind === "default") out[f.key] = f.absent.value;
      continue;
    }
    if (!Object.hasOwn(object, f.key)) return undefined;
    const value = f.read(v);
    if (value === BAIL) return undefined;
    out[f.key] = value;
    present++;
  }
  // Strict: a key the schema does not know is zod's to refuse (a plain object enumerates
  // only its own keys).
  let keys = 0;
  for (const _ in object) keys++;
  return keys === present ? out : undefined;
}

/**
 * `schema.safeParse` with the fast path in front of it: the same answers, sooner for the
 * valid records that make up nearly every batch.
 */
export function withFastPath<S extends z.ZodObject>(
  schema: S,
): (input: unknown) => z.ZodSafeParseResult<z.output<S>> {
  const fields = fieldsOf(schema);
  if (!fields) return (input) => schema.safeParse(input);
  return (input) => {
    const data = readQuick(fields, input);
    if (data !== undefined) return { success: true, data: data as z.output<S> };
    return schema.safeParse(input);
  };
}
