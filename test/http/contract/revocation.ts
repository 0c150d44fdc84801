// The HTTP contract, revoking one scanner (DESIGN.md, "Auth"): its signed tokens issued
// before the revocation get 401 at POST /sync and GET /admissions, and nothing of theirs
// is stored from then on; a token issued after it works; nobody else is touched. The gate
// device is the real one (scanner-sync's buffer and uploader), revoked between two of its
// batches. Registered for each target by ../contract.test.ts.
import { expect, it } from "vitest";
import { ScanBuffer, SyncFatal, Uploader } from "../../../scanner-sync/src/index.js";
import { fill, tempDir } from "../../../scanner-sync/test/support/buffers.js";
import { faultyFront } from "../../../scanner-sync/test/support/fronts.js";
import { issueScannerToken } from "../../../src/auth/signed-tokens.js";
import { expectEnvelope, freshId, json } from "../../support/api.js";
import { syncAttempt, syncBody, syncScan } from "../../support/records.js";
import type { HttpTarget } from "../../support/targets/target.js";
import { SIGNING_KEY } from "../../support/tokens.js";

// Issue times to the millisecond decide: a token issued before the revocation's moment is
// revoked, one issued at it or after is not. The tests take them a second before, or a
// millisecond after, so no two fall in the same millisecond by chance.
const tokenOf = (scanner: string) =>
  issueScannerToken(scanner, SIGNING_KEY, { ttlSeconds: 3600, now: new Date(Date.now() - 1000) });
/** A token issued after the revocation at `revokedAt` (ISO). */
const tokenAfter = async (scanner: string, revokedAt: string) => {
  const issuedAt = Math.max(Date.now(), Date.parse(revokedAt) + 1);
  const token = await issueScannerToken(scanner, SIGNING_KEY, { ttlSeconds: 3600, now: new Date(issuedAt) });
  // Whatever the server does next happens after the token was issued.
  await after(issuedAt);
  return token;
};
/** Until this clock is past `ms`: what the server does next happens after it. */
async function after(ms: number) {
  while (Date.now() <= ms) await new Promise((r) => setTimeout(r, 1));
}

type Device = { scanner_id: string; total_accepted: number; last_batch: { items: number } };

export function revocationChecks(target: () => HttpTarget) {
  const revoke = async (t: HttpTarget, scanner_id: string) => {
    const res = await t.call("POST", "/admin/revocations", { body: { scanner_id } });
    expect(res.status).toBe(200);
    return json<{ scanner_id: string; revoked_at: string }>(res);
  };
  const devicesOf = async (t: HttpTarget, event: string) =>
    (await json<{ devices: Device[] }>(await t.call("GET", `/stats/devices?event_id=${event}`))).devices;

  it("a device revoked mid-stream: its next batch is refused (401) and stores nothing; its queue is kept, not dead-lettered, and a fresh token drains it", async () => {
    const t = target();
    const event = freshId("revoked");
    const scanner = freshId("gate-lost");
    const dir = tempDir();
    const buffer = ScanBuffer.open({ path: dir.path("gate.db"), scannerId: scanner });
    // Between the device's first and second requests, an admin revokes it.
    let revoked: Promise<{ revoked_at: string }> | undefined;
    const front = await faultyFront(
      t.url,
      () => null,
      (n) => {
        if (n < 2) return undefined;
        revoked ??= revoke(t, scanner);
        return revoked;
      },
    );
    try {
      fill(buffer, event, { scans: 30, invalidEvery: 7, attempts: 4 });
      const old = await tokenOf(scanner);
      const run = new Uploader({ buffer, url: front.url, token: old, batchSize: 10, maxInFlight: 1 }).drain();
      await expect(run).rejects.toThrow(SyncFatal);
      await expect(run).rejects.toMatchObject({ status: 401 });
      // It stopped at once, with the first batch stored and the rest waiting.
      expect(front.requests).toBe(2);
      expect(buffer.status()).toMatchObject({
        pending: 24,
        dead_letters: 0,
        last_error: { message: expect.stringMatching(/401 unauthorized.*revocation/) },
      });
      const firstBatch = await t.rawCounts(event);
      expect(firstBatch.scan_count).toBe(10);
      expect(await json(await t.call("GET", `/stats?event_id=${event}`))).toMatchObject(firstBatch);
      // Its health is the first batch's: the refused one did not report.
      expect(await devicesOf(t, event)).toMatchObject([
        { scanner_id: scanner, total_accepted: 10, last_batch: { items: 10 } },
      ]);

      // The old token is refused everywhere a scanner token goes, and stores nothing.
      const again = await t.call("POST", "/sync", {
        body: syncBody(scanner, { scans: [syncScan(event)], invalid_attempts: [syncAttempt(event)] }),
        as: { token: old },
      });
      await expectEnvelope(again, 401, "unauthorized");
      const admission = await t.call("GET", `/admissions/t-${scanner}-0?event_id=${event}`, {
        as: { token: old },
      });
      await expectEnvelope(admission, 401, "unauthorized");
      expect(await t.rawCounts(event)).toEqual(firstBatch);

      // A token issued after the revocation resumes the queue where it stopped.
      const fresh = await tokenAfter(
        scanner,
        (await (revoked as Promise<{ revoked_at: string }>)).revoked_at,
      );
      expect(
        await new Uploader({ buffer, url: front.url, token: fresh, batchSize: 10 }).drain(),
      ).toMatchObject({ accepted: 24, duplicates: 0, rejected: 0, pending: 0 });
      expect(buffer.status()).toMatchObject({ pending: 0, dead_letters: 0 });
      const all = await t.rawCounts(event);
      expect(all).toMatchObject({ scan_count: 30, invalid_attempt_count: 4, invalid_scan_count: 5 });
      expect(await json(await t.call("GET", `/stats?event_id=${event}`))).toMatchObject(all);
      const admitted = await t.call("GET", `/admissions/t-${scanner}-1?event_id=${event}`, {
        as: { token: fresh },
      });
      expect(await json(admitted)).toMatchObject({ admitted: true, valid_scans: 1 });
      expect(await devicesOf(t, event)).toMatchObject([{ scanner_id: scanner, total_accepted: 34 }]);
    } finally {
      buffer.close();
      await front.close();
      dir.cleanup();
    }
  });

  it("a revoked token stores nothing whatever its batch holds: one kind, two kinds, or nothing valid (no device health either)", async () => {
    const t = target();
    const event = freshId("revoked-kinds");
    const scanner = freshId("gate-stolen");
    const old = await tokenOf(scanner);
    const { revoked_at } = await revoke(t, scanner);
    expect(Date.parse(revoked_at)).toBeGreaterThan(Date.now() - 60_000);
    const bodies = [
      syncBody(scanner, { scans: [syncScan(event), syncScan(event)] }),
      syncBody(scanner, { scans: [syncScan(event)], invalid_attempts: [syncAttempt(event)] }),
      syncBody(scanner, { invalid_attempts: [syncAttempt(event)] }),
      // Every item rejected: only the device's health would be written.
      syncBody(scanner, { scans: [{ ...syncScan(event), ticket_id: "" }] }),
    ];
    for (const body of bodies) {
      await expectEnvelope(await t.call("POST", "/sync", { body, as: { token: old } }), 401, "unauthorized");
    }
    expect(await t.rawCounts(event)).toMatchObject({ scan_count: 0, invalid_attempt_count: 0 });
    const all = await json<{ devices: Device[] }>(await t.call("GET", "/stats/devices"));
    expect(all.devices.map((d) => d.scanner_id)).not.toContain(scanner);
  });

  it("revokes that scanner's tokens issued before it only: other scanners, API_TOKENS callers and later tokens go on; revoking again moves the moment on", async () => {
    const t = target();
    const event = freshId("revoked-others");
    const [lost, other] = [freshId("gate-lost"), freshId("gate-kept")];
    const [lostToken, otherToken] = await Promise.all([tokenOf(lost), tokenOf(other)]);
    const first = await revoke(t, lost);
    const sync = (scanner: string, as: { token: string } | "ingest") =>
      t.call("POST", "/sync", { body: syncBody(scanner, { scans: [syncScan(event)] }), as });
    expect((await sync(lost, { token: lostToken })).status).toBe(401);
    expect(await json(await sync(other, { token: otherToken }))).toMatchObject({ accepted: 1 });
    // An ingest token may upload any scanner's batch (a back-fill): a revocation is about tokens.
    expect(await json(await sync(lost, "ingest"))).toMatchObject({ accepted: 1 });
    const between = await tokenAfter(lost, first.revoked_at);
    expect(await json(await sync(lost, { token: between }))).toMatchObject({ accepted: 1 });
    const second = await revoke(t, lost);
    expect(Date.parse(second.revoked_at)).toBeGreaterThan(Date.parse(first.revoked_at) + 1);
    expect((await sync(lost, { token: between })).status).toBe(401);
    const later = await tokenAfter(lost, second.revoked_at);
    expect(await json(await sync(lost, { token: later }))).toMatchObject({ accepted: 1 });
    expect(second.scanner_id).toBe(lost);
    expect(await t.rawCounts(event)).toMatchObject({ scan_count: 4 });
  });

  it("POST /admin/revocations refuses a body without a valid scanner_id (400) and revokes nothing", async () => {
    const t = target();
    const scanner = freshId("gate-kept");
    const token = await tokenOf(scanner);
    for (const body of [{}, { scanner_id: "" }, { scanner_id: scanner, extra: 1 }, { scanner_id: 7 }]) {
      await expectEnvelope(await t.call("POST", "/admin/revocations", { body }), 400, "validation_failed");
    }
    await expectEnvelope(
      await t.call("POST", "/admin/revocations", { body: "{not json" }),
      400,
      "malformed_json",
    );
    const event = freshId("kept");
    const res = await t.call("POST", "/sync", {
      body: syncBody(scanner, { scans: [syncScan(event)] }),
      as: { token },
    });
    expect(await json(res)).toMatchObject({ accepted: 1 });
  });
}
