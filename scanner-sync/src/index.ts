// @veritix/scanner-sync: the gate device's offline buffer, its uploader to POST /sync, and
// its admission check (GET /admissions, answered by the buffer when the server cannot).
export {
  BufferUnavailable,
  ImportRefused,
  type LineIssue,
  RecordRefused,
  SettleRefused,
} from "./buffer/errors.js";
export type { Rejected } from "./buffer/outbox.js";
export { ScanBuffer, type ScanBufferOptions } from "./buffer/scan-buffer.js";
export {
  DEFAULT_RETENTION,
  type DeadLetter,
  type ImportResult,
  type LastScan,
  type LocalAdmission,
  type PendingItem,
  type Retention,
  type SyncStatus,
} from "./buffer/types.js";
export {
  type Admission,
  type AdmissionCheckOptions,
  checkAdmission,
  type FirstEntry,
} from "./upload/admission.js";
export { type BackoffPolicy, DEFAULT_BACKOFF, parseRetryAfter, retryDelay } from "./upload/backoff.js";
export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_BYTES } from "./upload/batch.js";
export { DEFAULT_ADMISSION_TIMEOUT_MS } from "./upload/defaults.js";
export { SyncError, SyncFatal, SyncUnavailable } from "./upload/errors.js";
export {
  DEFAULT_MAX_IN_FLIGHT,
  type DrainResult,
  syncEndpoint,
  type UploadEvent,
  Uploader,
  type UploaderOptions,
} from "./upload/uploader.js";
export { APP_VERSION } from "./version.js";
export type {
  InvalidAttemptItem,
  InvalidAttemptRecordInput,
  Issue,
  ItemKind,
  ScanItem,
  ScanRecordInput,
} from "./wire.js";
