// Every bad input of DESIGN.md, against every write route and listing: a 4xx with the
// error envelope, never a 5xx, and nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPEC, ZERO_COUNTS } from "../support/records.js";
import { type DbKind, startTestServer, type TestServer } from "../support/server.js";

const EVENT = "bad_input_event";
const long = (n: number) => "x".repeat(n);
const nested = (levels: number): Record<string, unknown> => (levels === 0 ? {} : { a: nested(levels - 1) });
const future = new Date(Date.now() + 25 * 3600 * 1000).toISOString();

type Case = [name: string, body: unknown, status?: number];

function casesFor(
  valid: Record<string, unknown>,
  idField: string,
  textField: string,
  timeField: string,
): Case[] {
  return [
    ["malformed JSON", '{"ticket_id": "t1", ', 400],
    ["an empty body", "", 400],
    ["a JSON array", [valid], 400],
    ["JSON null", "null", 400],
    ["a missing required field", { ...valid, [idField]: undefined }],
    ["a number where a string belongs", { ...valid, [idField]: 123 }],
    ["an empty id", { ...valid, [idField]: "  " }],
    ["an id over 128 characters", { ...valid, [idField]: long(129) }],
    ["free text over 1024 characters", { ...valid, [textField]: long(1025) }],
    ["a NUL character in an id", { ...valid, [idField]: "ticket\u0000x" }],
    ["a NUL character in free text", { ...valid, [textField]: "gate\u0000" }],
    ["a NUL character inside metadata", { ...valid, additional_metadata: { note: "a\u0000b" } }],
    ["metadata over 8 KiB", { ...valid, additional_metadata: { blob: long(8200) } }],
    ["a lone UTF-16 surrogate in an id", { ...valid, [idField]: "ticket\ud800" }],
    ["a lone UTF-16 surrogate inside metadata", { ...valid, additional_metadata: { note: "\udc00" } }],
    ["metadata nested 40 levels deep", { ...valid, additional_metadata: nested(40) }],
    ["metadata that is not an object", { ...valid, additional_metadata: "battery=80" }],
    ["a string where a boolean belongs", { ...valid, is_valid: "yes", is_successful: "yes" }],
    ["an unknown field", { ...valid, is_vaild: false }],
    ["a uuid that is not a UUID", { ...valid, uuid: "not-a-uuid" }],
    ["a timestamp that does not parse", { ...valid, [timeField]: "yesterday at noon" }],
    ["an impossible date", { ...valid, [timeField]: "2024-02-31T10:00:00Z" }],
    ["a timestamp more than 24 h in the future", { ...valid, [timeField]: future }],
    ["a body over 64 KiB", { ...valid, additional_metadata: { blob: long(70_000) } }, 413],
  ];
}

const ROUTES: [path: string, cases: Case[]][] = [
  ["/scans", casesFor({ ...SPEC.scan, event_id: EVENT }, "ticket_id", "location", "scan_timestamp")],
  [
    "/transfers",
    casesFor({ ...SPEC.transfer, event_id: EVENT }, "from_user_id", "transfer_reason", "transfer_timestamp"),
  ],
  [
    "/invalid-attempts",
    casesFor({ ...SPEC.invalidAttempt, event_id: EVENT }, "attempt_type", "reason", "attempt_timestamp"),
  ],
];

const LISTING_CASES: [string, string][] = [
  ["no event_id", ""],
  ["limit 0", `event_id=${EVENT}&limit=0`],
  ["limit 1001", `event_id=${EVENT}&limit=1001`],
  ["a negative limit", `event_id=${EVENT}&limit=-5`],
  ["a fractional limit", `event_id=${EVENT}&limit=1.5`],
  ["a limit that is not a number", `event_id=${EVENT}&limit=ten`],
  ["an event_id over 128 characters", `event_id=${long(129)}`],
  ["a from that does not parse", `event_id=${EVENT}&from=soon`],
];

export function badInputSuite(db: DbKind) {
  describe(`bad input on ${db}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer(db);
    });
    afterAll(async () => {
      await s?.stop();
    });

    const expectEnvelope = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expect(body.request_id).toBe(res.headers.get("X-Request-Id"));
      return body;
    };

    for (const [path, cases] of ROUTES) {
      for (const [name, body, status = 400] of cases) {
        it(`POST ${path} with ${name}: ${status} and nothing written`, async () => {
          const res = await s.call("POST", path, body);
          const envelope = await expectEnvelope(res, status);
          if (status === 400 && typeof body === "object" && body !== null && !Array.isArray(body)) {
            expect(envelope.error).toBe("validation_failed");
            expect(envelope.issues.length).toBeGreaterThan(0);
            expect(envelope.issues[0]).toMatchObject({
              path: expect.any(String),
              message: expect.any(String),
            });
          }
        });
      }
    }

    for (const path of ["/stats/scans", "/stats/transfers", "/stats/invalid-attempts"]) {
      for (const [name, query] of LISTING_CASES) {
        it(`GET ${path} with ${name}: 400`, async () => {
          const body = await expectEnvelope(await s.call("GET", `${path}?${query}`), 400);
          expect(body.error).toBe("validation_failed");
        });
      }
    }

    it("GET /stats with an event_id over 128 characters: 400", async () => {
      await expectEnvelope(await s.call("GET", `/stats?event_id=${long(129)}`), 400);
    });

    it("an unknown route: 404 in the envelope, not an HTML page", async () => {
      const body = await expectEnvelope(await s.call("GET", "/nope"), 404);
      expect(body.error).toBe("not_found");
    });

    it("after all of the above, nothing was written", async () => {
      expect(await s.rawCounts(EVENT)).toEqual(ZERO_COUNTS);
      expect(await (await s.call("GET", "/stats")).json()).toEqual({});
    });
  });
}
