// The words of every operation in the API document and its answers (each route file's
// `.docs.ts`), by operationId. Only the document's generator (./openapi.ts) imports this, so
// none of it (nor the answers' schemas, src/responses.ts) is in the Worker's bundle, which
// serves the generated document as a file.
import { appDocs } from "../app.docs.js";
import { adminDocs } from "../routes/admin.docs.js";
import { admissionsDocs } from "../routes/admissions.docs.js";
import { attendanceDocs } from "../routes/attendance.docs.js";
import { docsDocs } from "../routes/docs.docs.js";
import { exportDocs } from "../routes/export.docs.js";
import { healthDocs } from "../routes/health.docs.js";
import { ingestDocs } from "../routes/ingest.docs.js";
import { signalsDocs } from "../routes/signals.docs.js";
import { statsDocs } from "../routes/stats.docs.js";
import { syncDocs } from "../routes/sync.docs.js";
import type { OperationDoc } from "./operation.js";

const ALL = [
  appDocs,
  adminDocs,
  admissionsDocs,
  attendanceDocs,
  docsDocs,
  exportDocs,
  healthDocs,
  ingestDocs,
  signalsDocs,
  statsDocs,
  syncDocs,
];

/** Every operation's docs by operationId; an id documented twice is a mistake, caught here. */
export const OPERATION_DOCS: ReadonlyMap<string, OperationDoc> = (() => {
  const out = new Map<string, OperationDoc>();
  for (const docs of ALL) {
    for (const [id, doc] of Object.entries(docs)) {
      if (out.has(id)) throw new Error(`operation ${id} is documented twice`);
      out.set(id, doc);
    }
  }
  return out;
})();
