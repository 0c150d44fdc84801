// The OpenAPI 3.1 document, read off the app's own routes: every route whose middleware
// came from operation() (./operation.ts) is described by the spec it was built from, at
// the method and path the app really serves it. zod-openapi renders the zod schemas with
// zod's own JSON Schema converter: request schemas as zod reads input, answers as output.
// Run at build time by src/cli/openapi.ts, which writes the document GET /openapi.json serves.
import type { Hono } from "hono";
import { findTargetHandler } from "hono/utils/handler";
import * as z from "zod";
import {
  createDocument,
  type oas31,
  type ZodOpenApiObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from "zod-openapi";
import { ROLES } from "../auth/roles.js";
import {
  flag,
  idString,
  invalidAttemptInput,
  LIMITS,
  metadata,
  requiredText,
  scanInput,
  syncRequestDoc,
  syncResponse,
  textString,
  transferInput,
  uuid,
} from "../records.js";
import { errorEnvelope } from "../responses.js";
import type { AppEnv } from "./env.js";
import { type Answer, type AnyOperation, type OperationDoc, operationOf, type Tag } from "./operation.js";
import { OPERATION_DOCS } from "./operation-docs.js";

/** The version of the API's contract (not of the package): it changes when a client must. */
const API_VERSION = "1.0.0";

const TAGS: Record<Tag, string> = {
  Records: "One ticket scan, transfer or invalid attempt per request (the platform's services).",
  Sync: "Batch uploads of gate scanners and their health.",
  Admissions: "The online check a gate makes before it admits a ticket.",
  Stats: "Exact counters per event, and an event's recent records.",
  Export: "Every record of an event, streamed (revenue and warehouse jobs).",
  Access: "Revoking one lost scanner's tokens without rotating the signing key (role admin).",
  Service: "Health, metrics and this document.",
};

const SECURITY_SCHEMES = {
  apiToken: {
    type: "http",
    scheme: "bearer",
    description:
      "An API token (API_TOKENS). Its role decides what it may call: `admin` everything, `ingest` the record routes and POST /sync, `reader` the reads. Each operation lists the roles it accepts. An event-scoped reader token (`npm run token -- reader --event E`) goes here too: it is a `reader` of its events only (403 for another event's `event_id`).",
  },
  scannerToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "veritix-scanner",
    description:
      "A gate scanner's signed token (`npm run token -- scanner <scanner_id>`): POST /sync of its own scanner_id only, and GET /admissions/{ticket_id}.",
  },
} as const;

/**
 * The request schemas and their building blocks under names of their own: each is written
 * once in the document and referenced wherever a route uses it.
 */
const NAMED_SCHEMAS = {
  ScanInput: scanInput,
  TransferInput: transferInput,
  InvalidAttemptInput: invalidAttemptInput,
  SyncRequest: syncRequestDoc,
  SyncResponse: syncResponse,
  Identifier: idString,
  Text: textString,
  RequiredText: requiredText,
  Uuid: uuid,
  Flag: flag,
  Metadata: metadata,
};

const json = (schema: z.ZodType) => ({ "application/json": { schema } });

/** A refusal every operation of its kind may give: the envelope its status carries, and why. */
function refusal(status: number, description: string, headers?: Answer["headers"]) {
  return { description, content: json(errorEnvelope(status)), ...(headers ? { headers } : {}) };
}

/** The refusals an operation shares with every route like it, by what its spec says it does. */
type Responses = Record<string, ZodOpenApiResponseObject>;

function refusals(op: AnyOperation): Responses {
  const out: Responses = {};
  if (op.params || op.query || op.body) {
    out[400] = refusal(
      400,
      "Invalid input: `validation_failed` with every issue, or `malformed_json` for a body that is not JSON.",
    );
  }
  if (op.access !== "public") {
    out[401] = refusal(401, "No bearer token, or one that is not valid (unknown, expired, badly signed).", {
      "WWW-Authenticate": { description: "The scheme to use", schema: { type: "string" } },
    });
    out[403] = refusal(403, "The token is valid, but its role (or scanner) may not make this request.");
  }
  if (op.body) {
    out[413] = refusal(413, `The body is larger than ${op.body.limit} bytes, or carries too many items.`);
  }
  if (op.database) {
    out[503] = refusal(
      503,
      "The database does not answer (`unavailable`: retry after Retry-After) or lacks the schema (`database_not_migrated`: run the migrations).",
    );
  }
  if (op.cached) out[304] = { description: "Not modified: If-None-Match matches the answer's ETag." };
  return out;
}

/** On every answer of the app (the document itself is a Static Asset on Workers: assetOnWorkers). */
const REQUEST_ID_HEADER = {
  description:
    "The request's id: the caller's own X-Request-Id when it sent a sane one (1-128 of letters, digits, _, - and =), else one the server made. The server's log lines of the request carry it.",
  required: true,
  schema: { type: "string" },
} as const;

/** On the answers of the cached reads, and their 304s. */
const ETAG_HEADER = {
  description:
    "The answer's entity tag: send it back as If-None-Match to get a 304 while the answer is unchanged.",
  required: true,
  schema: { type: "string" },
} as const;

/** On the answers of the cached reads, and their 304s (./edge-cache.ts). */
const CACHE_CONTROL_HEADER = {
  description:
    "`private, max-age=N`: how long you may reuse the answer, in whole seconds: what is left of the edge copy's life (`STATS_CACHE_SECONDS`) on Workers, 0 where no copy is kept (Node), so a client cache never adds staleness of its own.",
  required: true,
  schema: { type: "string", pattern: "^private, max-age=\\d+$" },
} as const;

const X_CACHE_HEADER = {
  description:
    "Where the answer came from. `HIT`: the Worker's edge copy, at most `STATS_CACHE_SECONDS` old. `MISS`: the database, and the copy refreshed. `BYPASS`: the database, with no edge copy (Node, a cache turned off) or past it (a request with `Cache-Control: no-cache`, which still refreshes the copy).",
  required: true,
  schema: { type: "string" as const, enum: ["HIT", "MISS", "BYPASS"] },
};

/** On a 503 that is worth retrying (`unavailable`), not on one that is not (`database_not_migrated`). */
const RETRY_AFTER_HEADER = {
  description: "Seconds to wait before retrying (on `unavailable`).",
  schema: { type: "integer" },
} as const;

/** Request headers an operation may send besides Authorization: written once each, as components. */
const requestIdParam = z
  .string()
  .optional()
  .meta({
    description: "Your own id for this request, echoed in the answer and in the server's logs.",
    param: { id: "RequestId" },
  });
const ifNoneMatchParam = z
  .string()
  .optional()
  .meta({
    description: "The ETag of an answer you hold: 304 without a body while it is still the answer.",
    param: { id: "IfNoneMatch" },
  });

const noCacheParam = z
  .literal("no-cache")
  .optional()
  .meta({
    description:
      "`no-cache` (a browser's reload sends it): an answer from the database, not the Worker's edge copy, which it refreshes for the other readers.",
    param: { id: "CacheControl" },
  });

function requestHeaders(op: AnyOperation) {
  return z.object({
    "X-Request-Id": requestIdParam,
    ...(op.cached ? { "If-None-Match": ifNoneMatchParam, "Cache-Control": noCacheParam } : {}),
  });
}

function answers(op: AnyOperation, doc: OperationDoc): ZodOpenApiResponsesObject {
  const out = refusals(op);
  for (const [status, answer] of Object.entries(doc.answers)) {
    const contents = answer.content === undefined ? [] : [answer.content].flat();
    out[status] = {
      description: answer.description,
      ...(contents.length
        ? {
            content: Object.assign(
              {},
              ...contents.map((c) => ("type" in c ? { [c.type]: { schema: c.schema } } : json(c.schema))),
            ),
          }
        : {}),
      ...(answer.headers ? { headers: answer.headers } : {}),
    };
  }
  for (const [status, response] of Object.entries(out)) {
    const tagged = op.cached && (status === "200" || status === "304");
    // Written once under components.headers, referenced from every answer.
    // (This file's answers give their headers as plain objects, never as a zod object.)
    const own = response.headers as Record<string, unknown> | undefined;
    response.headers = {
      ...(op.assetOnWorkers ? {} : { "X-Request-Id": { $ref: "#/components/headers/RequestId" } }),
      // Every 503 of the app may carry it (src/http/errors.ts: `unavailable`), GET /health's too.
      ...(status === "503" ? { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } : {}),
      ...(tagged
        ? {
            ETag: { $ref: "#/components/headers/ETag" },
            "Cache-Control": { $ref: "#/components/headers/CacheControl" },
            "X-Cache": { $ref: "#/components/headers/XCache" },
          }
        : {}),
      ...own,
    } as unknown as ZodOpenApiResponseObject["headers"];
  }
  return out as ZodOpenApiResponsesObject;
}

function security(op: AnyOperation): Record<string, string[]>[] {
  if (op.access === "public") return [];
  // admin may call everything; the roles go in the requirement, as OpenAPI 3.1 allows.
  const roles = ROLES.filter((r) => r === "admin" || (r !== "scanner" && op.access.includes(r)));
  return [{ apiToken: [...roles] }, ...(op.access.includes("scanner") ? [{ scannerToken: [] }] : [])];
}

/** What the operation's `.docs.ts` says of it: every operation the app serves has docs. */
function docOf(op: AnyOperation): OperationDoc {
  const doc = OPERATION_DOCS.get(op.operationId);
  if (!doc) throw new Error(`operation ${op.operationId} has no docs: add it to its route file's .docs.ts`);
  return doc;
}

function operationObject(op: AnyOperation): ZodOpenApiOperationObject {
  const doc = docOf(op);
  const who =
    op.access === "public"
      ? "Public: no token."
      : `Roles: ${security(op)
          .flatMap((s) =>
            Object.entries(s).map(([scheme, roles]) => (roles.length ? roles.join(", ") : scheme)),
          )
          .join(", ")}.`;
  return {
    operationId: op.operationId,
    summary: doc.summary,
    description: [doc.description, who].filter(Boolean).join("\n\n"),
    tags: [op.tag],
    security: security(op),
    requestParams: {
      ...(op.params ? { path: op.params } : {}),
      ...(op.query ? { query: op.query } : {}),
      header: requestHeaders(op),
    },
    ...(op.body
      ? {
          requestBody: {
            required: true,
            ...(op.body.description ? { description: op.body.description } : {}),
            content: json(op.body.documented ?? op.body.schema),
          },
        }
      : {}),
    responses: answers(op, doc),
  };
}

/** Every operation the app serves, with the method and path it serves it at. */
function operationsOf(app: Hono<AppEnv>) {
  const found: { method: string; path: string; op: AnyOperation }[] = [];
  for (const route of app.routes) {
    const op = operationOf(findTargetHandler(route.handler));
    // Hono writes a path parameter `:name`, OpenAPI `{name}`.
    const path = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");
    if (op) found.push({ method: route.method.toLowerCase(), path, op });
  }
  return found;
}

export function buildDocument(app: Hono<AppEnv>): oas31.OpenAPIObject {
  const paths: NonNullable<ZodOpenApiObject["paths"]> = {};
  const served = new Set<string>();
  for (const { method, path, op } of operationsOf(app)) {
    const item = (paths[path] ?? {}) as Record<string, ZodOpenApiOperationObject>;
    if (item[method]) throw new Error(`${method} ${path} is described twice`);
    item[method] = operationObject(op);
    paths[path] = item;
    served.add(op.operationId);
  }
  // Docs of an operation the app does not serve (renamed, or removed) would rot unseen.
  const unserved = [...OPERATION_DOCS.keys()].filter((id) => !served.has(id));
  if (unserved.length) throw new Error(`docs of operations the app does not serve: ${unserved.join(", ")}`);
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Veritix Analytics API",
      version: API_VERSION,
      description: [
        "Ticket-scan analytics: record scans, transfers and invalid attempts; read exact counters per event; upload gate scanners' offline batches; export an event's records.",
        "Every refusal is one JSON envelope: `error` (a code), `message`, `request_id`, and `issues` (each `path` and `message`) for invalid input.",
        `Identifiers are at most ${LIMITS.id} characters, free text at most ${LIMITS.text}.`,
      ].join("\n\n"),
    },
    // Relative: calls go where the document was read from, behind a path prefix too.
    servers: [{ url: "./", description: "The server that serves this document" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: NAMED_SCHEMAS,
      securitySchemes: SECURITY_SCHEMES,
      headers: {
        RequestId: REQUEST_ID_HEADER,
        ETag: ETAG_HEADER,
        CacheControl: CACHE_CONTROL_HEADER,
        XCache: X_CACHE_HEADER,
        RetryAfter: RETRY_AFTER_HEADER,
      },
    },
  });
}
