// The HTTP contract, POST /sync and device health (DESIGN.md): each item on its own,
// replays, the 1000-item limit, a scanner token's binding, device health, concurrent
// devices. Registered for each target by ../contract.test.ts.
import { expect, it } from "vitest";
import { freshId, json, scannerToken } from "../../support/api.js";
import { syncAttempt, syncBody, syncScan } from "../../support/records.js";
import type { HttpTarget } from "../../support/targets/target.js";
import { counters } from "./records.js";

type SyncAnswer = {
  accepted: number;
  duplicates: number;
  rejected: { kind: string; index: number; uuid: string | null; issues: { path: string }[] }[];
};
type Device = Record<string, unknown> & {
  scanner_id: string;
  total_accepted: number;
  clock_offset_ms: number;
};

export function sync(target: () => HttpTarget) {
  /** POST /sync by `scanner`'s own token. */
  const upload = async (scanner: string, parts: Record<string, unknown>, sent = new Date()) =>
    target().call("POST", "/sync", {
      body: { ...syncBody(scanner, parts), sent_at: sent.toISOString() },
      as: { token: await scannerToken(scanner) },
    });
  const devices = async (query: string) =>
    json<{ event_id: string | null; devices: Device[]; count: number }>(
      await target().call("GET", `/stats/devices${query}`, { as: "reader" }),
    );

  it("stores the valid items with their stats and rejects each invalid one alone, by kind and index", async () => {
    const t = target();
    const e = freshId();
    const scanner = freshId("gate");
    const noTicket = { ...syncScan(e), ticket_id: undefined };
    const res = await upload(scanner, {
      scans: [
        syncScan(e),
        noTicket,
        syncScan(e, { is_valid: false }),
        syncScan(e, { scanner_id: "gate-z-99" }),
      ],
      invalid_attempts: [{ ...syncAttempt(e), reason: 42 }, syncAttempt(e)],
    });
    expect(res.status).toBe(200);
    const body = await json<SyncAnswer>(res);
    expect(body).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(body.rejected.map((r) => [r.kind, r.index, r.issues[0]?.path])).toEqual([
      ["scan", 1, "ticket_id"],
      ["scan", 3, "scanner_id"],
      ["invalid_attempt", 0, "reason"],
    ]);
    expect(body.rejected[0]?.uuid).toBe(noTicket.uuid);
    const raw = await t.rawCounts(e);
    expect(raw).toMatchObject({
      scan_count: 2,
      valid_scan_count: 1,
      invalid_scan_count: 1,
      invalid_attempt_count: 1,
    });
    expect(await counters(t, e)).toEqual(raw);
    // The batch's scanner is every scan's scanner.
    const { scans } = await json<{ scans: { scanner_id: string }[] }>(
      await t.call("GET", `/stats/scans?event_id=${e}`, { as: "reader" }),
    );
    expect(scans.map((s) => s.scanner_id)).toEqual([scanner, scanner]);
  });

  it("answers a replayed request with duplicates and counts nothing twice", async () => {
    const t = target();
    const e = freshId();
    const scanner = freshId("gate");
    const parts = { scans: [syncScan(e), syncScan(e)], invalid_attempts: [syncAttempt(e)] };
    expect(await json(await upload(scanner, parts))).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const before = await counters(t, e);
    expect(await json(await upload(scanner, parts))).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await counters(t, e)).toEqual(before);
    expect(before).toEqual(await t.rawCounts(e));
  });

  it("stores exactly 1000 items of one request, with exact stats", async () => {
    const t = target();
    const e = freshId();
    const res = await upload(freshId("gate"), {
      scans: Array.from({ length: 990 }, (_, i) => syncScan(e, { is_valid: i % 10 !== 0 })),
      invalid_attempts: Array.from({ length: 10 }, () => syncAttempt(e)),
    });
    expect(await res.json()).toEqual({ accepted: 1000, duplicates: 0, rejected: [] });
    const raw = await t.rawCounts(e);
    expect(raw).toMatchObject({ scan_count: 990, invalid_scan_count: 99, invalid_attempt_count: 10 });
    expect(await counters(t, e)).toEqual(raw);
  });

  it("lets a scanner token upload only its own scanner's batches; ingest uploads for any scanner", async () => {
    const t = target();
    const e = freshId();
    const [mine, other] = [freshId("gate"), freshId("gate")];
    const res = await t.call("POST", "/sync", {
      body: syncBody(other, { scans: [syncScan(e)] }),
      as: { token: await scannerToken(mine) },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden" });
    expect((await t.rawCounts(e)).scan_count).toBe(0);
    const backfill = await t.call("POST", "/sync", {
      body: syncBody(other, { scans: [syncScan(e)] }),
      as: "ingest",
    });
    expect(await backfill.json()).toMatchObject({ accepted: 1 });
    expect((await t.rawCounts(e)).scan_count).toBe(1);
  });

  it("reports device health per event and across events: last sync, clock offset, backlog, last batch", async () => {
    const [e, elsewhere] = [freshId(), freshId()];
    const [gate, otherGate] = [freshId("gate"), freshId("gate")];
    const sentAt = new Date(Date.now() - 90_000);
    const oldest = new Date(Date.now() - 600_000).toISOString();
    await upload(
      gate,
      {
        scans: [syncScan(e), syncScan(e)],
        device: { pending: 42, oldest_pending_at: oldest, app_version: "2.1.0" },
      },
      sentAt,
    );
    await upload(otherGate, { scans: [syncScan(elsewhere)] });
    const one = await devices(`?event_id=${e}`);
    expect(one).toMatchObject({ event_id: e, count: 1 });
    const device = one.devices[0] as Device;
    expect(device).toMatchObject({
      scanner_id: gate,
      last_sent_at: sentAt.toISOString(),
      pending: 42,
      oldest_pending_at: oldest,
      app_version: "2.1.0",
      last_batch: { items: 2, accepted: 2, duplicates: 0, rejected: 0 },
      total_accepted: 2,
    });
    // Server receive time minus the device's sent_at.
    expect(device.clock_offset_ms).toBeGreaterThanOrEqual(89_000);
    expect(device.clock_offset_ms).toBeLessThan(120_000);
    const all = (await devices("")).devices.map((d) => d.scanner_id);
    expect(all).toEqual(expect.arrayContaining([gate, otherGate]));
    expect(await devices("?event_id=nobody")).toEqual({ event_id: "nobody", devices: [], count: 0 });

    // A later batch naming no event still updates the device, and its totals add up.
    const { event_id: _, ...eventless } = syncAttempt(e);
    await upload(gate, { invalid_attempts: [eventless] });
    expect((await devices(`?event_id=${e}`)).devices[0]).toMatchObject({
      scanner_id: gate,
      total_accepted: 3,
      pending: null,
      last_batch: { items: 1, accepted: 1, duplicates: 0, rejected: 0 },
    });
  });

  it("keeps stats exact with 16 devices syncing one event at once, retries included", async () => {
    const t = target();
    const e = freshId();
    await Promise.all(
      Array.from({ length: 16 }, async (_, d) => {
        const scanner = freshId(`gate-${d}`);
        for (let b = 0; b < 4; b++) {
          const parts = {
            scans: Array.from({ length: 25 }, (_, i) => syncScan(e, { is_valid: (d + i) % 7 !== 0 })),
            invalid_attempts: b === 0 ? [syncAttempt(e)] : [],
          };
          // A refusal's body says why (a flake on the Worker on Neon once, its reason not kept).
          const res = await upload(scanner, parts);
          expect(res.status, await res.clone().text()).toBe(200);
          if (b % 2 === 1) expect((await json<SyncAnswer>(await upload(scanner, parts))).accepted).toBe(0);
        }
      }),
    );
    const raw = await t.rawCounts(e);
    expect(raw).toMatchObject({ scan_count: 16 * 4 * 25, invalid_attempt_count: 16 });
    expect(await counters(t, e)).toEqual(raw);
  });
}
