// The bad input of ./bad-input.ts, ./bad-sync-input.ts and ./bad-queries.ts sent to every
// route that takes it, on any target: a 4xx in the error envelope (never a 5xx), the
// issue that says what is wrong, and nothing stored; in POST /sync, a bad item is
// rejected alone and the others are stored.
import { expect, it } from "vitest";
import { type Api, expectEnvelope, freshId, json, SCANNER } from "./api.js";
import {
  type BodyCase,
  badRecord,
  deepJson,
  jsonWith,
  RECORD_KINDS,
  type RecordCase,
  type RecordKind,
  recordBodyCases,
  recordCases,
} from "./bad-input.js";
import { LISTING_QUERY_CASES, LISTINGS, OTHER_QUERY_CASES } from "./bad-queries.js";
import { SYNC_BODY_CASES } from "./bad-sync-input.js";
import { syncBody, ZERO_COUNTS } from "./records.js";

type Issues = { issues?: { path: string; message: string }[] };

const issueLike = ({ path, message }: RecordCase["issue"]) =>
  expect.objectContaining(
    message === undefined ? { path } : { path, message: expect.stringContaining(message) },
  );

function bodyCheck(api: () => Api, route: string, c: BodyCase) {
  it(`POST ${route} with ${c.name}: ${c.status} ${c.error}, nothing stored`, async () => {
    const e = freshId("bad");
    const res = await api().call("POST", route, {
      body: c.body(e),
      as: route === "/sync" ? "scanner" : "ingest",
    });
    await expectEnvelope(res, c.status, c.error);
    expect(await api().rawCounts(e)).toEqual(ZERO_COUNTS);
  });
}

/** Every bad record and body on the single-record route of `k`. */
export function recordRouteChecks(api: () => Api, k: RecordKind) {
  for (const c of recordCases(k)) {
    it(`POST ${k.route} with ${c.name}: 400 naming ${c.issue.path || "the record"}, nothing stored`, async () => {
      const e = freshId("bad");
      const res = await api().call("POST", k.route, { body: badRecord(k.record(e), c).json, as: "ingest" });
      const body = (await expectEnvelope(res, 400, "validation_failed")) as Issues;
      expect(body.issues).toContainEqual(issueLike(c.issue));
      expect(await api().rawCounts(e)).toEqual(ZERO_COUNTS);
    });
  }
  for (const c of recordBodyCases(k)) bodyCheck(api, k.route, c);
}

const BAD = "__bad_item__";

/** POST /sync of a good item, `bad` (raw JSON) and another good item: only the good ones are stored. */
async function expectRejectedAlone(api: Api, k: RecordKind, bad: { json: string; uuid: unknown }, e: string) {
  const sync = k.sync as NonNullable<RecordKind["sync"]>;
  const body = jsonWith(syncBody(SCANNER, { [sync.key]: [sync.item(e), BAD, sync.item(e)] }), {
    [BAD]: bad.json,
  });
  const res = await api.call("POST", "/sync", { body, as: "scanner" });
  expect(res.status).toBe(200);
  const out = await json<{ accepted: number; duplicates: number; rejected: Issues[] }>(res);
  const uuid = typeof bad.uuid === "string" ? bad.uuid.toLowerCase() : null;
  expect(out).toMatchObject({ accepted: 2, duplicates: 0, rejected: [{ kind: k.kind, index: 1, uuid }] });
  expect(out.rejected).toHaveLength(1);
  expect((await api.rawCounts(e))[k.counted]).toBe(2);
  return out.rejected[0]?.issues;
}

/** Every bad item of each kind POST /sync takes, then every bad body. */
export function syncChecks(api: () => Api) {
  for (const k of RECORD_KINDS) {
    if (!k.sync) continue;
    const sync = k.sync;
    for (const c of recordCases(k)) {
      it(`POST /sync with a ${k.kind} of ${c.name}: that item rejected alone, the others stored`, async () => {
        const e = freshId("bad_sync");
        expect(await expectRejectedAlone(api(), k, badRecord(sync.item(e), c), e)).toContainEqual(
          issueLike(c.issue),
        );
      });
    }
    // 600 KB: under the 1 MiB of a sync, so the item itself must be refused.
    it(`POST /sync with a ${k.kind} whose metadata nests 100,000 levels: that item rejected alone`, async () => {
      const e = freshId("bad_sync");
      const item = sync.item(e);
      const bad = {
        json: jsonWith({ ...item, additional_metadata: BAD }, { [BAD]: deepJson(100_000) }),
        uuid: item.uuid,
      };
      expect(await expectRejectedAlone(api(), k, bad, e)).toContainEqual(
        issueLike({ path: "additional_metadata", message: "must not nest deeper than 32 levels" }),
      );
    });
  }
  for (const c of SYNC_BODY_CASES) bodyCheck(api, "/sync", c);
}

/** Every bad query of the reads. */
export function queryChecks(api: () => Api) {
  for (const path of LISTINGS) {
    for (const [name, query, issue] of LISTING_QUERY_CASES) {
      it(`GET ${path} with ${name}: 400`, async () => {
        const res = await api().call("GET", `${path}?${query(freshId())}`, { as: "reader" });
        const body = await expectEnvelope(res, 400, "validation_failed");
        if (issue) expect(body.issues).toEqual([issue]);
      });
    }
  }
  for (const [name, path] of OTHER_QUERY_CASES) {
    it(`${name}: 400`, async () => {
      await expectEnvelope(await api().call("GET", path, { as: "reader" }), 400, "validation_failed");
    });
  }
}
