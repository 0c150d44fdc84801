// A POST /sync body from pending items. The stored items are already wire JSON, so the
// body is assembled as text: no re-parsing, and its size is known exactly.
import type { PendingItem } from "../buffer/types.js";
import { SYNC_LIMITS } from "../wire.js";

/** Room under the server's 1 MiB for proxies' and headers' sake. */
export const DEFAULT_MAX_BATCH_BYTES = 900 * 1024;
export const DEFAULT_BATCH_SIZE = 500;

/**
 * Kept free for the envelope while items are chosen, so that it is built once, for the
 * items chosen. More than an envelope takes: its longest field is the scanner id, at most
 * 128 characters (768 bytes as JSON even if every one is escaped as \uXXXX).
 */
export const ENVELOPE_ROOM = 2048;

export interface Device {
  pending: number;
  oldest_pending_at: string | null;
  app_version: string;
}

export interface SyncBody {
  body: string;
  /** The items in the body, in order: a leading part of the items offered. */
  items: PendingItem[];
  bytes: number;
}

export interface Envelope {
  scanner_id: string;
  sent_at: string;
  device: Device;
}

/** The leading items that fit in one request: at most the server's item limit, and `maxBytes` with the envelope. */
export function fitBatch(offered: PendingItem[], maxBytes = DEFAULT_MAX_BATCH_BYTES): PendingItem[] {
  // envelope + ',"scans":[' + ... + '],"invalid_attempts":[' + ... + ']}'
  let bytes = ENVELOPE_ROOM + 35;
  const items: PendingItem[] = [];
  for (const item of offered.slice(0, SYNC_LIMITS.items)) {
    const size = Buffer.byteLength(item.json) + 1;
    // One item always goes, whatever its size: the server's 413 then says what to do.
    if (items.length > 0 && bytes + size > maxBytes) break;
    bytes += size;
    items.push(item);
  }
  return items;
}

/** The body carrying exactly `items`. */
export function syncBody(items: PendingItem[], envelope: Envelope): SyncBody {
  const scans = items.filter((i) => i.kind === "scan").map((i) => i.json);
  const attempts = items.filter((i) => i.kind === "invalid_attempt").map((i) => i.json);
  const head = JSON.stringify(envelope).slice(0, -1);
  const body = `${head},"scans":[${scans.join(",")}],"invalid_attempts":[${attempts.join(",")}]}`;
  return { body, items, bytes: Buffer.byteLength(body) };
}

/** `envelopeFor(items)` describes the batch carrying `items`; it is called once, for the items chosen. */
export function buildSyncBody(
  offered: PendingItem[],
  envelopeFor: (items: PendingItem[]) => Envelope,
  maxBytes = DEFAULT_MAX_BATCH_BYTES,
): SyncBody {
  const items = fitBatch(offered, maxBytes);
  return syncBody(items, envelopeFor(items));
}
