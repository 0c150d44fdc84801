// The OpenAPI document against the server that serves it. documentConformance() reads a
// target's GET /openapi.json, checks it is valid OpenAPI (a third-party validator), and
// wraps the target's Api so that every answer it gets — from every test that calls
// through it, good requests and bad — must be documented: its status listed for that
// operation, its media type among the documented ones, and a JSON body valid against the
// documented schema (Ajv, JSON Schema 2020-12, OpenAPI 3.1's dialect).
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import type { Api } from "./api.js";

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<
    string,
    { content?: Record<string, { schema?: unknown }>; headers?: Record<string, Header & { $ref?: string }> }
  >;
}
interface Header {
  required?: boolean;
  schema?: unknown;
}
type OpenApi = Json & { paths: Record<string, Record<string, Operation>> };

/** A JSON pointer token (RFC 6901). */
const token = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");

export interface Conformance {
  document: OpenApi;
  /** The target's Api, each answer held to the document. */
  wrap<A extends Api>(api: A): A;
  /** "METHOD /path status" of every answer checked so far. */
  seen: Set<string>;
}

/** The document's path a request's pathname is served by: itself, or a template (`/admissions/{ticket_id}`). */
function documentedPath(doc: OpenApi, pathname: string): string {
  if (doc.paths[pathname]) return pathname;
  const segments = pathname.split("/");
  const match = Object.keys(doc.paths).find((template) => {
    const parts = template.split("/");
    return (
      parts.length === segments.length &&
      parts.every((p, i) => (p.startsWith("{") && p.endsWith("}") ? segments[i] !== "" : p === segments[i]))
    );
  });
  return match ?? pathname;
}

/** Checks one answer against the document; what is wrong, or null. */
async function check(
  doc: OpenApi,
  validatorFor: (pointer: string) => ValidateFunction,
  method: string,
  path: string,
  res: Response,
): Promise<string | null> {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) return null; // not an operation of the API (an unknown route's 404, an OPTIONS)
  const status = String(res.status);
  const documented = op.responses[status];
  if (!documented) {
    return `${method} ${path} answered ${status}, which the document does not list (${Object.keys(op.responses).join(", ")})`;
  }
  for (const [name, given] of Object.entries(documented.headers ?? {})) {
    // A component (src/http/openapi.ts writes the common ones once each) or written in place.
    const at = given.$ref
      ? given.$ref.slice(1)
      : `/paths/${token(path)}/${method.toLowerCase()}/responses/${status}/headers/${token(name)}`;
    const header = at
      .split("/")
      .slice(1)
      .reduce<unknown>(
        (o, k) => (o as Json | undefined)?.[k.replaceAll("~1", "/").replaceAll("~0", "~")],
        doc,
      ) as Header | undefined;
    const value = res.headers.get(name);
    if (value === null) {
      if (header?.required)
        return `${method} ${path} ${status}: no ${name} header, which the document requires`;
      continue;
    }
    if (header?.schema && !validatorFor(`#${at}/schema`)(value))
      return `${method} ${path} ${status}: ${name}: ${JSON.stringify(value)} does not match the document's ${JSON.stringify(header.schema)}`;
  }
  const contentType = (res.headers.get("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
  if (!documented.content) {
    return res.status === 304 || (await res.clone().text()) === ""
      ? null
      : `${method} ${path} ${status}: a body where the document has none`;
  }
  const media = documented.content[contentType];
  if (!media) {
    const text = (await res.clone().text()).slice(0, 300);
    return `${method} ${path} ${status}: Content-Type ${contentType} is not one of ${Object.keys(documented.content).join(", ")}: ${JSON.stringify(text)}`;
  }
  if (contentType !== "application/json") return null; // text and streams: the type is the contract
  const pointer = `#/paths/${token(path)}/${method.toLowerCase()}/responses/${status}/content/${token(contentType)}/schema`;
  const validate = validatorFor(pointer);
  const body: unknown = await res.clone().json();
  if (validate(body)) return null;
  return `${method} ${path} ${status}: the body does not match the document: ${JSON.stringify(validate.errors?.slice(0, 3))} in ${JSON.stringify(body).slice(0, 500)}`;
}

/** The document a running target serves, and its Api held to it. */
export async function documentConformance(baseUrl: string): Promise<Conformance> {
  const res = await fetch(`${baseUrl}/openapi.json`);
  expect(res.status).toBe(200);
  return conformanceTo((await res.json()) as Record<string, unknown>);
}

/** An Api held to `doc` (the served one, or src/openapi.json for the in-process app). */
export async function conformanceTo(doc: Record<string, unknown>): Promise<Conformance> {
  const document = doc as OpenApi;
  const validator = new Validator();
  const verdict = await validator.validate(structuredClone(document));
  if (!verdict.valid)
    throw new Error(`invalid OpenAPI document: ${JSON.stringify(verdict.errors).slice(0, 2000)}`);
  expect(validator.version).toBe("3.1");

  // The document is the schema container: each answer is checked against a $ref into it.
  // `example` is OpenAPI's keyword, unknown to plain JSON Schema.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats.default(ajv);
  ajv.addSchema(document, "openapi.json");
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (pointer: string) => {
    let fn = compiled.get(pointer);
    if (!fn) {
      fn = ajv.compile({ $ref: `openapi.json${pointer}` });
      compiled.set(pointer, fn);
    }
    return fn;
  };

  const seen = new Set<string>();
  return {
    document,
    seen,
    wrap<A extends Api>(api: A): A {
      return {
        ...api,
        async call(method, path, opts) {
          const res = await api.call(method, path, opts);
          const pathname = documentedPath(document, new URL(path, "http://x").pathname);
          const problem = await check(document, validatorFor, method, pathname, res);
          seen.add(`${method.toUpperCase()} ${pathname} ${res.status}`);
          if (problem) throw new Error(problem);
          return res;
        },
      };
    },
  };
}
