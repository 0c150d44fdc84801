// What the API document says of POST /sync and GET /stats/devices (./sync.ts): joined to the
// routes by operationId (../http/operation-docs.ts), read by the document's generator only.
import type { OperationDocs } from "../http/operation.js";
import { SYNC_LIMITS, syncResponse } from "../records.js";
import { deviceListing } from "../responses.js";

export const syncDocs: OperationDocs = {
  syncBatch: {
    summary: "Upload a gate scanner's batch",
    description: `Up to ${SYNC_LIMITS.items} scans and invalid attempts together, each with its uuid, so a batch sent again (a retry after a lost answer) stores and counts nothing twice. Items are checked one by one: a valid item is stored whatever its neighbours are, an invalid one comes back in \`rejected\` with its issues (never as a 400 for the whole batch). The scanner's health (\`device\`) is recorded with every batch; a batch without it records the sync with its backlog and app version unknown (\`pending\`, \`oldest_pending_at\` and \`app_version\` null in GET /stats/devices), not the last ones reported. A scanner token may only send its own \`scanner_id\`.`,
    answers: {
      200: {
        description: "Every item accepted (stored now), a duplicate (stored before), or rejected.",
        content: { schema: syncResponse },
      },
    },
  },
  listDevices: {
    summary: "Gate scanners' health",
    description:
      "Every scanner, or those that uploaded records of `event_id` (an event-scoped reader token without `event_id`: of its events); most recently synced first. A scanner long silent, or with a growing `pending`, is offline or behind.",
    answers: { 200: { description: "The scanners.", content: { schema: deviceListing } } },
  },
};
