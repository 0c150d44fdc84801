// The typed client (src/client.ts: Hono's hc over the app's type) drives the write and
// read routes end to end, as a TypeScript service would. Registered for each target by
// ../contract.test.ts.
import { uuidv7 } from "uuidv7";
import { expect, it } from "vitest";
import { veritixClient } from "../../../src/client.js";
import { freshId, SCANNER, scannerToken } from "../../support/api.js";
import { SPEC } from "../../support/records.js";
import type { HttpTarget } from "../../support/targets/target.js";
import { TOKENS } from "../../support/tokens.js";

export function clientChecks(target: () => HttpTarget) {
  it("records, syncs and reads back an event through the typed client", async () => {
    const e = freshId();
    const ingest = veritixClient(target().url, { token: TOKENS.ingest });
    const reader = veritixClient(target().url, { token: TOKENS.reader });
    const gate = veritixClient(target().url, { token: await scannerToken(SCANNER) });

    const scan = await ingest.scans.$post({ json: { ...SPEC.scan, event_id: e } });
    expect(scan.status).toBe(201);
    if (scan.status !== 201) return;
    const stored = await scan.json();
    expect(stored.id).toBeGreaterThan(0);
    const again = await ingest.scans.$post({ json: { ...SPEC.scan, event_id: e, uuid: stored.uuid } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: stored.id, uuid: stored.uuid, duplicate: true });
    expect((await ingest.transfers.$post({ json: { ...SPEC.transfer, event_id: e } })).status).toBe(201);
    const attempt = await ingest["invalid-attempts"].$post({ json: { ...SPEC.invalidAttempt, event_id: e } });
    expect(attempt.status).toBe(201);

    const sent = await gate.sync.$post({
      json: {
        scanner_id: SCANNER,
        sent_at: new Date().toISOString(),
        scans: [{ uuid: uuidv7(), ticket_id: "t-gate", event_id: e, is_valid: false }],
        device: { pending: 0, app_version: "test" },
      },
    });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    const stats = await reader.stats.$get({ query: { event_id: e } });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({
      event_id: e,
      scan_count: 2,
      valid_scan_count: 1,
      invalid_scan_count: 1,
      transfer_count: 1,
      invalid_attempt_count: 1,
    });
    const scans = await reader.stats.scans.$get({ query: { event_id: e, limit: "10" } });
    expect(scans.status).toBe(200);
    if (scans.status !== 200) return;
    const listed = await scans.json();
    expect(listed.count).toBe(2);
    expect(listed.scans.map((s) => s.ticket_id).sort()).toEqual(["t-gate", SPEC.scan.ticket_id].sort());
    const transfers = await reader.stats.transfers.$get({ query: { event_id: e } });
    expect(transfers.status).toBe(200);
    const attempts = await reader.stats["invalid-attempts"].$get({ query: { event_id: e } });
    expect(attempts.status).toBe(200);
    const devices = await reader.stats.devices.$get({ query: { event_id: e } });
    expect(devices.status).toBe(200);
    if (devices.status !== 200) return;
    expect((await devices.json()).devices.map((d) => d.scanner_id)).toEqual([SCANNER]);
  });

  it("gets the refusals as the API gives them", async () => {
    const reader = veritixClient(target().url, { token: TOKENS.reader });
    const res = await reader.scans.$post({ json: { ...SPEC.scan, event_id: freshId() } });
    expect(res.status).toBe(403);
    const bad = await veritixClient(target().url, { token: TOKENS.ingest }).scans.$post({
      json: { ...SPEC.scan, ticket_id: "" },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "validation_failed" });
  });
}
