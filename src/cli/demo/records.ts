// The demo's records in wire shape (the fields of POST /scans, /transfers,
// /invalid-attempts), with the fields the demo always sets made required.
import type { InvalidAttemptInput, ScanInput, TransferInput } from "../../records.js";

export type DemoScan = ScanInput & { scan_timestamp: string; is_valid: boolean };
export type DemoTransfer = TransferInput & { transfer_timestamp: string; is_successful: boolean };
export type DemoInvalidAttempt = InvalidAttemptInput & { attempt_timestamp: string };

export interface Ticket {
  id: string;
  vip: boolean;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const ticketId = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(6, "0")}`;

/** Orders records by their own ISO timestamp (all written by `iso`, so text order is time order). */
export const byTime =
  <T>(time: (r: T) => string) =>
  (a: T, b: T): number =>
    time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0;
