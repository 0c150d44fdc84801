// The store contract, revoked scanner tokens (src/store/revocations.ts): a sync under a
// token issued before its scanner's revocation fails whole (StoreError "revoked"), with
// nothing of it written, whatever kinds its batch holds; an admission read under it fails
// the same way; tokens issued later, and callers without a signed token, go on.
import { expect, it } from "vitest";
import type { StoreError } from "../../../src/store/errors.js";
import type { DeviceReport } from "../../../src/store/types.js";
import { attemptRow, batch, scanRow } from "../../support/records.js";
import { type ContractContext, freshEvent } from "./context.js";

const report = (scanner_id: string, token_issued_at?: Date): DeviceReport => ({
  scanner_id,
  token_issued_at,
  received_at: new Date(),
  sent_at: new Date(),
  items: 2,
  rejected: 0,
  pending: 0,
  oldest_pending_at: null,
  app_version: null,
});

const revoked = { name: "StoreError", failure: "revoked" } satisfies Partial<StoreError>;

export function revocations(c: ContractContext) {
  it("refuses a revoked token's sync whole, for one kind, two kinds or nothing valid; a later token and an unsigned caller go on", async () => {
    const e = freshEvent();
    const scanner = `gate-${e}`;
    const issued = new Date(Date.now() - 1000);
    const moment = await c.store.revokeScanner(scanner, new Date());
    const batches = [
      batch({ scans: [scanRow({ event_id: e }), scanRow({ event_id: e })] }),
      batch({ scans: [scanRow({ event_id: e })], invalidAttempts: [attemptRow({ event_id: e })] }),
      batch({}),
    ];
    for (const b of batches) {
      await expect(c.store.sync(b, report(scanner, issued))).rejects.toMatchObject(revoked);
    }
    expect(await c.expectExact(e)).toMatchObject({ scan_count: 0, invalid_attempt_count: 0 });
    expect(await c.store.deviceHealth(e)).toEqual([]);
    expect((await c.store.deviceHealth()).map((d) => d.scanner_id)).not.toContain(scanner);

    // Issued at the very moment of the revocation or after: not revoked.
    const out = await c.store.sync(batches[1] as never, report(scanner, moment));
    expect(out).toMatchObject({ scans: { stored: 1 }, invalidAttempts: { stored: 1 } });
    await c.store.sync(batches[0] as never, report(scanner));
    expect(await c.expectExact(e)).toMatchObject({ scan_count: 3, invalid_attempt_count: 1 });
    expect(await c.store.deviceHealth(e)).toMatchObject([{ scanner_id: scanner, total_accepted: 4 }]);
  });

  it("refuses a revoked token's admission read, whether the ticket was admitted or not", async () => {
    const e = freshEvent();
    const scanner = `gate-${e}`;
    const row = scanRow({ event_id: e, ticket_id: "in" });
    await c.store.insert(batch({ scans: [row] }));
    const before = new Date(Date.now() - 1000);
    const moment = await c.store.revokeScanner(scanner, new Date());
    for (const ticket of ["in", "never-seen"]) {
      await expect(
        c.store.admission(e, ticket, { scanner_id: scanner, issued_at: before }),
      ).rejects.toMatchObject(revoked);
    }
    const fresh = { scanner_id: scanner, issued_at: moment };
    expect(await c.store.admission(e, "in", fresh)).toMatchObject({
      valid_scans: 1,
      first_at: row.scan_timestamp,
    });
    expect(await c.store.admission(e, "never-seen", fresh)).toBeNull();
    // Another scanner's token is not touched.
    expect(await c.store.admission(e, "in", { scanner_id: `other-${e}`, issued_at: before })).toMatchObject({
      valid_scans: 1,
    });
    expect(await c.store.admission(e, "in")).toMatchObject({ valid_scans: 1 });
  });

  it("a revocation's moment moves on, never back", async () => {
    const scanner = `gate-${freshEvent()}`;
    const first = new Date("2026-06-01T12:00:00.123Z");
    expect(await c.store.revokeScanner(scanner, first)).toEqual(first);
    // An earlier moment (another clock) leaves the later one in force.
    expect(await c.store.revokeScanner(scanner, new Date("2026-06-01T11:00:00Z"))).toEqual(first);
    const between = new Date("2026-06-01T12:30:00Z");
    const later = new Date("2026-06-01T13:00:00.456Z");
    expect(await c.store.revokeScanner(scanner, later)).toEqual(later);
    await expect(
      c.store.admission("any", "t", { scanner_id: scanner, issued_at: between }),
    ).rejects.toMatchObject(revoked);
  });
}
