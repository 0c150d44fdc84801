// The HTTP contract, event-scoped reader tokens (DESIGN.md, "Auth"): the routes that span
// events answer such a reader its events only, and the same figures as for any reader.
// Registered for each target by ../contract.test.ts (../../support/auth-checks.ts,
// scopeChecks, has the 200s, 403s and 401s of every route).
import { expect, it } from "vitest";
import { issueReaderToken } from "../../../src/auth/signed-tokens.js";
import { freshId, json, scannerToken } from "../../support/api.js";
import { syncBody, syncScan } from "../../support/records.js";
import type { HttpTarget } from "../../support/targets/target.js";
import { SIGNING_KEY } from "../../support/tokens.js";

export function scopeFiltering(target: () => HttpTarget) {
  it("GET /stats and GET /stats/devices answer a scoped reader its events alone, with every reader's figures", async () => {
    const t = target();
    const [a, b, quiet] = [freshId("scoped"), freshId("unscoped"), freshId("quiet")];
    const [sa, sb] = [freshId("gate-a"), freshId("gate-b")];
    for (const [scanner, event] of [
      [sa, a],
      [sb, b],
    ] as const) {
      const res = await t.call("POST", "/sync", {
        body: syncBody(scanner, { scans: [syncScan(event), syncScan(event)] }),
        as: { token: await scannerToken(scanner) },
      });
      expect(await json(res)).toMatchObject({ accepted: 2 });
    }
    const token = await issueReaderToken([a, quiet], SIGNING_KEY, { ttlSeconds: 600 });
    // A reader of many events (read all at once, not one by one): the same answer.
    const many = Array.from({ length: 12 }, () => freshId("quiet"));
    const wide = await issueReaderToken([...many, a], SIGNING_KEY, { ttlSeconds: 600 });

    const one = await json(await t.call("GET", `/stats?event_id=${a}`, { as: "reader" }));
    const none = await json(await t.call("GET", `/stats?event_id=${quiet}`, { as: "reader" }));
    expect(none).toMatchObject({ scan_count: 0, last_updated: null });
    for (const [reader, events] of [
      [token, [a, quiet]],
      [wide, [...many, a]],
    ] as const) {
      const scoped = await json<Record<string, unknown>>(
        await t.call("GET", "/stats", { as: { token: reader } }),
      );
      // Each of its events, the quiet ones (no records yet) with the zeros of GET /stats?event_id.
      expect(Object.keys(scoped)).toEqual([...events].sort()); // ASCII ids: JS sorts them bytewise
      expect(scoped[a]).toEqual(one);
      for (const q of events.filter((e) => e !== a))
        expect(scoped[q]).toEqual({ ...(none as object), event_id: q });
    }
    const everyone = await json<Record<string, unknown>>(await t.call("GET", "/stats", { as: "reader" }));
    expect(Object.keys(everyone)).toEqual(expect.arrayContaining([a, b]));
    // Any other reader: the events with records alone.
    expect(Object.keys(everyone)).not.toContain(quiet);

    type Devices = {
      event_id: string | null;
      devices: { scanner_id: string; seconds_since_sync: number }[];
      count: number;
    };
    const devices = await json<Devices>(await t.call("GET", "/stats/devices", { as: { token } }));
    expect(devices.event_id).toBeNull();
    expect(devices.devices.map((d) => d.scanner_id)).toEqual([sa]);
    expect(devices.count).toBe(1);
    const wideDevices = await json<Devices>(await t.call("GET", "/stats/devices", { as: { token: wide } }));
    expect(wideDevices.devices.map((d) => d.scanner_id)).toEqual([sa]);
    const all = await json<Devices>(await t.call("GET", "/stats/devices", { as: "reader" }));
    expect(all.devices.map((d) => d.scanner_id)).toEqual(expect.arrayContaining([sa, sb]));
    const forA = await json<Devices>(await t.call("GET", `/stats/devices?event_id=${a}`, { as: "reader" }));
    // (Each answer's own age of the last sync aside.)
    const steady = (d: Devices) => d.devices.map(({ seconds_since_sync: _, ...rest }) => rest);
    expect(steady(devices)).toEqual(steady(forA));
  });
}
