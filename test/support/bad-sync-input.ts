// What a POST /sync body gets wrong as a whole (its items are ./bad-input.ts's record
// cases, each rejected alone): 400 or 413 for the request, nothing stored.
import { SCANNER } from "./api.js";
import type { BodyCase } from "./bad-input.js";
import { syncAttempt, syncBody, syncScan } from "./records.js";

const envelope = (name: string, body: (e: string) => unknown): BodyCase => ({
  name,
  body: (e) => JSON.stringify(body(e)),
  status: 400,
  error: "validation_failed",
});

const now = () => new Date().toISOString();

export const SYNC_BODY_CASES: BodyCase[] = [
  { name: "malformed JSON", body: (e) => `{"scanner_id": "${e}", `, status: 400, error: "malformed_json" },
  { name: "an empty body", body: () => "", status: 400, error: "malformed_json" },
  envelope("a JSON array", (e) => [syncBody(SCANNER, { scans: [syncScan(e)] })]),
  envelope("JSON null", () => null),
  envelope("no scanner_id", (e) => ({ sent_at: now(), scans: [syncScan(e)] })),
  envelope("no sent_at", (e) => ({ scanner_id: SCANNER, scans: [syncScan(e)] })),
  envelope("a sent_at that does not parse", (e) => ({
    scanner_id: SCANNER,
    sent_at: "when I sent it",
    scans: [syncScan(e)],
  })),
  envelope("a sent_at in the year 99", (e) => ({
    scanner_id: SCANNER,
    sent_at: "0099-06-15T12:00:00Z",
    scans: [syncScan(e)],
  })),
  // The year 10000 once its offset is applied: Postgres refused it (a 500, retried for ever).
  envelope("a sent_at in the year 10000 by its offset", (e) => ({
    scanner_id: SCANNER,
    sent_at: "9999-12-31T23:59:59-01:00",
    scans: [syncScan(e)],
  })),
  envelope("a backlog's oldest in the year 10000 by its offset", (e) =>
    syncBody(SCANNER, {
      scans: [syncScan(e)],
      device: { pending: 1, oldest_pending_at: "9999-12-31T23:59:59-01:00" },
    }),
  ),
  envelope("scans that are not an array", () => syncBody(SCANNER, { scans: "all of them" })),
  envelope("an unknown field", (e) => syncBody(SCANNER, { scans: [syncScan(e)], extra: 1 })),
  envelope("a negative backlog", (e) => syncBody(SCANNER, { scans: [syncScan(e)], device: { pending: -1 } })),
  envelope("a backlog beyond a Postgres integer", (e) =>
    syncBody(SCANNER, { scans: [syncScan(e)], device: { pending: 3_000_000_000 } }),
  ),
  {
    name: "1001 items (900 scans and 101 invalid attempts)",
    body: (e) =>
      JSON.stringify(
        syncBody(SCANNER, {
          scans: Array.from({ length: 900 }, () => syncScan(e)),
          invalid_attempts: Array.from({ length: 101 }, () => syncAttempt(e)),
        }),
      ),
    status: 413,
    error: "payload_too_large",
  },
  {
    name: "a body over 1 MiB",
    body: (e) =>
      JSON.stringify(
        syncBody(SCANNER, {
          scans: Array.from({ length: 200 }, () =>
            syncScan(e, { additional_metadata: { pad: "x".repeat(6000) } }),
          ),
        }),
      ),
    status: 413,
    error: "payload_too_large",
  },
];
