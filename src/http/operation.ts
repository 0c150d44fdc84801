// One operation of the API as code: who may call it and what it reads (query, body), in
// one object. operation() turns that object into the route's middleware (auth, body limit,
// validation, read cache) and tags the middleware with it, so the OpenAPI document
// (./openapi.ts) is read off the app's own routes: it cannot describe a route the app does
// not serve, miss one it does, or show a request schema the route does not use. What the
// document says in words and what each operation answers (OperationDoc) sit beside each
// route file, in its `.docs.ts`, joined to the route by operationId (./operation-docs.ts):
// only the document's generator reads them, so they stay out of the Worker's bundle.
import type { MiddlewareHandler, ValidationTargets } from "hono";
import { every } from "hono/combine";
import type * as z from "zod";
import type { Role } from "../auth/roles.js";
import { AppError, toIssues, validationError } from "../errors.js";
import type { AppDeps, AppEnv } from "./env.js";
import { jsonBody, limitBody, requireRole } from "./middleware.js";

export type Tag = "Records" | "Sync" | "Admissions" | "Stats" | "Export" | "Access" | "Service";

/** A media type of an answer: JSON of a zod schema, or another type with a JSON Schema of its own. */
export type Content = { schema: z.ZodType } | { type: string; schema: Record<string, unknown> };

export interface Answer {
  description: string;
  /** One media type, or several (the client picks one by a parameter, e.g. `format`). */
  content?: Content | Content[];
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

export interface BodySpec<B extends z.ZodType> {
  schema: B;
  /** Bytes; larger bodies are refused (413) before they are read. */
  limit: number;
  /** Reads the body as `schema` would, sooner (the fast path, src/quick-parse.ts). */
  read?: (input: unknown) => z.ZodSafeParseResult<z.output<B>>;
  /** What the document shows, where it says more than `schema` checks here (POST /sync's items). */
  documented?: z.ZodType;
  description?: string;
}

export interface OperationSpec<
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
  Pm extends z.ZodObject | undefined = undefined,
> {
  /** Its name in the document, and the key of its OperationDoc. */
  operationId: string;
  tag: Tag;
  /** The roles that may call it (admin always may), or "public": no token at all. */
  access: readonly Role[] | "public";
  /** The path's parameters (`:name` in the route's path), each read by its schema. */
  params?: Pm;
  query?: Q;
  body?: BodySpec<NonNullable<B>>;
  /** Reads or writes the database: it may answer 503 (the database is down or not migrated). */
  database: boolean;
  /** Served through AppDeps.readCache (after auth): it may answer 304 to If-None-Match. */
  cached?: boolean;
  /**
   * Reads every event unless the query names one (GET /stats, /stats/devices): an
   * event-scoped reader may call it, and its handler answers that reader's events only.
   * Any other route without an `event_id` is out of such a reader's reach.
   */
  spansEvents?: boolean;
  /**
   * A Static Asset on Workers (scripts/build-public.mjs), answered there before the app
   * runs: its answer carries none of the app's headers (X-Request-Id), so the document
   * promises none.
   */
  assetOnWorkers?: boolean;
}

/** What the document says of an operation, beside what the route itself declares. */
export interface OperationDoc {
  summary: string;
  description?: string;
  /** Its answers by status. Refusals it shares with every route like it are added by the document. */
  answers: Record<number, Answer>;
}

/** The answers of an operation whose one answer is a 200 of `schema`. */
export const ok = (description: string, schema: z.ZodType): Record<number, Answer> => ({
  200: { description, content: { schema } },
});

/** A route file's operations' docs, by operationId. */
export type OperationDocs = Record<string, OperationDoc>;

const OPERATION: unique symbol = Symbol("veritix.operation");

export type AnyOperation = OperationSpec<
  z.ZodObject | undefined,
  z.ZodType | undefined,
  z.ZodObject | undefined
>;

/** What a query validator gives Hono's typing: every parameter a string, as in a URL. */
type QueryIn<Q> = Q extends z.ZodObject
  ? { [K in keyof z.input<Q>]: ValidationTargets["query"][string] }
  : never;
type ParamIn<Pm> = Pm extends z.ZodObject ? { [K in keyof z.input<Pm>]: string } : never;

/** `{}`: what an operation without a query or a body adds to the route's input. */
type Nothing = NonNullable<unknown>;

type OperationInput<Q, B, Pm> = {
  in: (Q extends z.ZodObject ? { query: QueryIn<Q> } : Nothing) &
    (B extends z.ZodType ? { json: z.input<B> } : Nothing) &
    (Pm extends z.ZodObject ? { param: ParamIn<Pm> } : Nothing);
  out: (Q extends z.ZodObject ? { query: z.output<Q> } : Nothing) &
    (B extends z.ZodType ? { json: z.output<B> } : Nothing) &
    (Pm extends z.ZodObject ? { param: z.output<Pm> } : Nothing);
};

/**
 * The query as Hono's validator reads it: a parameter given twice is an array (and refused),
 * one without a name is dropped. Read with URLSearchParams, not c.req.queries(): Hono's own
 * parser cost ~2.7 µs a GET /stats?event_id against ~0.6 (this machine, in process).
 */
function queryOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]) {
  const url = c.req.url;
  const at = url.indexOf("?");
  // No prototype: a parameter named constructor or __proto__ is a parameter like any other.
  const query: Record<string, string | string[]> = Object.create(null);
  if (at === -1) return query;
  const raw = url.slice(at + 1);
  if (raw.includes("%")) refuseBadEncoding(raw);
  for (const [name, value] of new URLSearchParams(raw)) {
    if (name === "") continue;
    const had = query[name];
    query[name] = had === undefined ? value : typeof had === "string" ? [had, value] : [...had, value];
  }
  return query;
}

const BAD_ENCODING = "must be UTF-8, percent-encoded";

/** Whether `raw`'s percent-encodings, if any, read as UTF-8. */
const decodes = (raw: string): boolean => {
  if (!raw.includes("%")) return true;
  try {
    decodeURIComponent(raw);
    return true;
  } catch {
    return false;
  }
};

/**
 * URLSearchParams reads a percent-encoding that is not UTF-8 as U+FFFD and one that is not
 * an encoding at all (%zz) as it is: either way another value than was meant (an event of
 * U+FFFDs, all zeros). Refused instead, naming the parameter.
 */
function refuseBadEncoding(raw: string): void {
  for (const piece of raw.split("&")) {
    if (decodes(piece)) continue;
    const name = new URLSearchParams(piece).keys().next().value ?? "";
    throw validationError([{ path: name, message: BAD_ENCODING }]);
  }
}

const orRefuse = <T>(result: z.ZodSafeParseResult<T>): T => {
  if (!result.success) throw validationError(toIssues(result.error.issues));
  return result.data;
};

/**
 * An event-scoped reader (auth/signed-tokens.ts) reads its events and nothing else: the
 * `event_id` asked must be one of them (403 otherwise), and a route without one must be
 * one that answers per event (`spansEvents`). Unscoped callers pass as they are.
 */
function withinScope(spec: AnyOperation): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const events = c.get("principal")?.events;
    if (events) {
      const asked = (c.req.valid("query" as never) as { event_id?: unknown } | undefined)?.event_id;
      if (typeof asked === "string" ? !events.includes(asked) : !spec.spansEvents) {
        const scope =
          events.length > 3
            ? `${events.slice(0, 3).join(", ")} and ${events.length - 3} more`
            : events.join(", ");
        throw new AppError(
          "forbidden",
          typeof asked === "string"
            ? `this token reads events ${scope} only, not ${asked}`
            : `this token reads events ${scope} only; ${c.req.method} ${c.req.path} is not about one event`,
        );
      }
    }
    await next();
  };
}

/**
 * The route's middleware: auth, then the body limit, the path's parameters, the query and
 * the body (each a 400 with every issue when wrong), then the read cache; the handler finds
 * the values in `c.req.valid("param" | "query" | "json")`.
 */
export function operation<
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  Pm extends z.ZodObject | undefined = undefined,
  P extends string = string,
>(deps: AppDeps, spec: OperationSpec<Q, B, Pm>): MiddlewareHandler<AppEnv, P, OperationInput<Q, B, Pm>> {
  const steps: MiddlewareHandler<AppEnv>[] = [];
  if (spec.access !== "public") steps.push(requireRole(deps, ...spec.access));
  const body = spec.body as BodySpec<z.ZodType> | undefined;
  if (body) steps.push(limitBody(body.limit));
  const params = spec.params;
  if (params) {
    steps.push(async (c, next) => {
      const values = c.req.param();
      // Hono keeps an encoding it cannot read as it is (%zz, %ED%A0%80): a ticket nobody meant.
      const url = c.req.url;
      const query = url.indexOf("?");
      const path = url.slice(url.indexOf("/", url.indexOf("//") + 2), query === -1 ? undefined : query);
      if (!decodes(path))
        throw validationError([{ path: Object.keys(values)[0] ?? "", message: BAD_ENCODING }]);
      c.req.addValidatedData("param", orRefuse(params.safeParse(values)));
      await next();
    });
  }
  const query = spec.query;
  if (query) {
    steps.push(async (c, next) => {
      c.req.addValidatedData("query", orRefuse(query.safeParse(queryOf(c))));
      await next();
    });
  }
  if (spec.access !== "public") steps.push(withinScope(spec));
  if (body) {
    const read = body.read ?? ((input: unknown) => body.schema.safeParse(input));
    steps.push(async (c, next) => {
      c.req.addValidatedData("json", orRefuse(read(await jsonBody(c))) as object);
      await next();
    });
  }
  if (spec.cached && deps.readCache) steps.push(deps.readCache);
  const run = steps.length ? every(...steps) : undefined;
  // A function of its own to carry the tag, whatever the steps are.
  const middleware: MiddlewareHandler<AppEnv, P, OperationInput<Q, B, Pm>> = (c, next) =>
    run ? run(c as never, next) : next();
  return Object.assign(middleware, { [OPERATION]: spec as AnyOperation });
}

/** The operation a route's handler was built from, if any. */
export function operationOf(handler: unknown): AnyOperation | undefined {
  return (handler as { [OPERATION]?: AnyOperation } | null)?.[OPERATION];
}
