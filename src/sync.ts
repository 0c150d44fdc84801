// POST /sync as a service: a gate scanner's batch, checked item by item. Valid items are
// stored atomically with their stats; each invalid one comes back with its issues, so
// one bad record never blocks a device's queue. Replaying a batch is harmless. A device
// whose clock is more than a day off has its times put on the server's (device-clock.ts).
import type { Principal } from "./auth/roles.js";
import { clockCorrection, correctedItem, onServerClock } from "./device-clock.js";
import { AppError, toIssues } from "./errors.js";
import { withFastPath } from "./quick-parse.js";
import {
  SYNC_LIMITS,
  type SyncRejection,
  type SyncRequest,
  type SyncResponse,
  syncInvalidAttempt,
  syncScan,
} from "./records.js";
import { toRow } from "./store/rows.js";
import type { InvalidAttemptRow, ScanRow, Store } from "./store/types.js";

const readScan = withFastPath(syncScan);
const readInvalidAttempt = withFastPath(syncInvalidAttempt);

const uuidOf = (item: unknown): string | null => {
  const uuid = (item as { uuid?: unknown } | null)?.uuid;
  return typeof uuid === "string" ? uuid.toLowerCase() : null;
};

export async function syncBatch(
  store: Store,
  principal: Principal,
  req: SyncRequest,
  now = new Date(),
): Promise<SyncResponse> {
  const items = req.scans.length + req.invalid_attempts.length;
  if (items > SYNC_LIMITS.items) {
    throw new AppError(
      "payload_too_large",
      `a sync carries at most ${SYNC_LIMITS.items} items (scans and invalid_attempts together); this one has ${items}`,
    );
  }
  if (principal.role === "scanner" && principal.scannerId !== req.scanner_id) {
    throw new AppError(
      "forbidden",
      `this token belongs to scanner ${principal.scannerId}, not ${req.scanner_id}`,
    );
  }

  const clock = clockCorrection(req.sent_at, now);
  const rejected: SyncRejection[] = [];
  const scans: ScanRow[] = [];
  req.scans.forEach((sent, index) => {
    const item = clock ? correctedItem(sent, "scan_timestamp", clock) : sent;
    const parsed = readScan(item);
    if (!parsed.success) {
      rejected.push({ kind: "scan", index, uuid: uuidOf(item), issues: toIssues(parsed.error.issues) });
    } else if (parsed.data.scanner_id !== undefined && parsed.data.scanner_id !== req.scanner_id) {
      const issues = [{ path: "scanner_id", message: `must be the batch's scanner_id (${req.scanner_id})` }];
      rejected.push({ kind: "scan", index, uuid: parsed.data.uuid, issues });
    } else {
      // The batch's scanner (an item may omit it); set on the new row, not via a copy of the item.
      const row = toRow("scans", parsed.data, now);
      row.scanner_id = req.scanner_id;
      scans.push(row);
    }
  });
  const invalidAttempts: InvalidAttemptRow[] = [];
  req.invalid_attempts.forEach((sent, index) => {
    const item = clock ? correctedItem(sent, "attempt_timestamp", clock) : sent;
    const parsed = readInvalidAttempt(item);
    if (parsed.success) invalidAttempts.push(toRow("invalidAttempts", parsed.data, now));
    else
      rejected.push({
        kind: "invalid_attempt",
        index,
        uuid: uuidOf(item),
        issues: toIssues(parsed.error.issues),
      });
  });

  const oldest = req.device?.oldest_pending_at ?? null;
  // The records and what the device reported about itself, stored together.
  const out = await store.sync(
    { scans, transfers: [], invalidAttempts },
    {
      scanner_id: req.scanner_id,
      // A signed scanner token's sync is refused whole if the scanner was revoked since it was issued.
      token_issued_at: principal.scannerId ? principal.issuedAt : undefined,
      received_at: now,
      sent_at: req.sent_at,
      items,
      rejected: rejected.length,
      pending: req.device?.pending ?? null,
      oldest_pending_at: oldest && clock ? onServerClock(oldest, clock) : oldest,
      app_version: req.device?.app_version ?? null,
    },
  );
  const accepted = out.scans.stored + out.invalidAttempts.stored;
  return { accepted, duplicates: out.scans.duplicates + out.invalidAttempts.duplicates, rejected };
}
