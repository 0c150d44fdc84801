// The HTTP contract, listings (DESIGN.md: the spec's shapes, newest first by the record's
// own time, limit 50 by default, before_id pages back). Registered for each target by
// ../contract.test.ts.
import { expect, it } from "vitest";
import { freshId, json } from "../../support/api.js";
import { SPEC } from "../../support/records.js";
import type { HttpTarget } from "../../support/targets/target.js";

type Scans = { event_id: string; count: number; scans: { id: number; ticket_id: string }[] };

export function listings(target: () => HttpTarget) {
  it("lists records newest first by their own time, 50 by default, paging back with limit and before_id", async () => {
    const t = target();
    const e = freshId();
    const base = Date.parse("2024-01-15T18:00:00Z");
    // Sent in an order unlike their times: the listing follows the records' own time.
    const order = Array.from({ length: 55 }, (_, i) => (i * 23) % 55);
    await Promise.all(
      order.map(async (i) => {
        const scan_timestamp = new Date(base + i * 60_000).toISOString();
        const res = await t.call("POST", "/scans", {
          body: { ...SPEC.scan, event_id: e, ticket_id: `t${i}`, scan_timestamp },
          as: "ingest",
        });
        expect(res.status).toBe(201);
      }),
    );
    const page = (query: string) =>
      t.call("GET", `/stats/scans?event_id=${e}${query}`, { as: "reader" }).then((r) => json<Scans>(r));
    const all = await page("");
    expect(all).toMatchObject({ event_id: e, count: 50 });
    expect(all.scans).toHaveLength(50);
    expect(all.scans[0]).toMatchObject({
      ticket_id: "t54",
      event_id: e,
      scanner_id: "scanner_789",
      scan_timestamp: "2024-01-15T18:54:00.000Z",
      is_valid: true,
      location: "Main Entrance",
      device_info: "iPhone iOS 15",
      additional_metadata: { battery_level: 80 },
    });
    expect(all.scans[0]?.id).toEqual(expect.any(Number));
    expect(all.scans[49]?.ticket_id).toBe("t5");
    const three = await page("&limit=3");
    expect(three.scans.map((s) => s.ticket_id)).toEqual(["t54", "t53", "t52"]);
    const next = await page(`&limit=2&before_id=${three.scans[2]?.id}`);
    expect(next.scans.map((s) => s.ticket_id)).toEqual(["t51", "t50"]);
    const everything = await page("&limit=1000");
    expect(everything.count).toBe(55);
    // Past the oldest record: the end, an empty page. Past a record that is not stored (purged,
    // or never given out): a 400 saying so, not an empty page that reads as the end.
    const oldest = everything.scans[54]?.id;
    expect(await page(`&before_id=${oldest}`)).toMatchObject({ scans: [], count: 0 });
    const gone = await t.call("GET", `/stats/scans?event_id=${e}&before_id=2147483000`, { as: "reader" });
    expect(gone.status).toBe(400);
    expect(await json(gone)).toMatchObject({
      error: "validation_failed",
      issues: [{ path: "before_id", message: expect.stringContaining("names no stored record") }],
    });
    // Another event's record is no cursor here: the same 400, and nothing of this event
    // paged by that record's time (a reader scoped to one event learns nothing of another's).
    const other = freshId();
    const later = await t.call("POST", "/scans", {
      body: { ...SPEC.scan, event_id: other, ticket_id: "o1", scan_timestamp: "2024-06-01T00:00:00Z" },
      as: "ingest",
    });
    const otherId = (await json<{ id: number }>(later)).id;
    const crossed = await t.call("GET", `/stats/scans?event_id=${e}&before_id=${otherId}`, { as: "reader" });
    expect(await json(crossed)).toMatchObject({
      error: "validation_failed",
      issues: [{ path: "before_id" }],
    });
    expect(crossed.status).toBe(400);
  });

  it("answers the transfers and invalid attempts listings in the spec's shapes", async () => {
    const t = target();
    const e = freshId();
    await t.call("POST", "/transfers", { body: { ...SPEC.transfer, event_id: e }, as: "ingest" });
    await t.call("POST", "/invalid-attempts", {
      body: { ...SPEC.invalidAttempt, event_id: e },
      as: "ingest",
    });
    const read = (path: string) =>
      t.call("GET", `${path}?event_id=${e}`, { as: "reader" }).then((r) => json(r));
    expect(await read("/stats/transfers")).toMatchObject({
      event_id: e,
      count: 1,
      transfers: [{ ...SPEC.transfer, event_id: e, id: expect.any(Number), uuid: expect.any(String) }],
    });
    expect(await read("/stats/invalid-attempts")).toMatchObject({
      event_id: e,
      count: 1,
      attempts: [{ ...SPEC.invalidAttempt, event_id: e, id: expect.any(Number), uuid: expect.any(String) }],
    });
  });
}
