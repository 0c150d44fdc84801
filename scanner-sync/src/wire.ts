// The wire records, from the server's own schemas (src/records.ts): what the device
// validates before storing is exactly what POST /sync will check. Never copied.
import type * as z from "zod";
import type {
  invalidAttemptInput,
  SyncResponse,
  scanInput,
  syncInvalidAttempt,
  syncScan,
} from "../../src/records.js";

export {
  idString,
  LIMITS,
  parseTimestamp,
  SYNC_LIMITS,
  type SyncRejection,
  type SyncResponse,
  scanInput,
  syncInvalidAttempt,
  syncRequest,
  syncResponse,
  syncScan,
} from "../../src/records.js";

/** Dates as they travel: ISO strings (JSON.stringify turns a Date into one). */
type Jsonish<V> = V extends Date ? string : V;
export type OnTheWire<T> = { [K in keyof T]: Jsonish<T[K]> };

/** A scan as stored in the outbox and sent: uuid, scanner and time always resolved. */
export type ScanItem = OnTheWire<z.output<typeof syncScan>> & { scanner_id: string; scan_timestamp: string };
export type InvalidAttemptItem = OnTheWire<z.output<typeof syncInvalidAttempt>> & {
  attempt_timestamp: string;
};

type WithDate<T, K extends keyof T> = Omit<T, K> & { [P in K]?: string | Date };
/** What a device hands over: the fields of POST /scans; uuid, scanner and time are filled in. */
export type ScanRecordInput = WithDate<z.input<typeof scanInput>, "scan_timestamp">;
export type InvalidAttemptRecordInput = WithDate<z.input<typeof invalidAttemptInput>, "attempt_timestamp">;

export type ItemKind = "scan" | "invalid_attempt";
export type Issue = SyncResponse["rejected"][number]["issues"][number];
