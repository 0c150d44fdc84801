// What the API document says of GET /admissions/{ticket_id} (./admissions.ts): joined to the
// routes by operationId (../http/operation-docs.ts), read by the document's generator only.
import type { OperationDocs } from "../http/operation.js";
import { admission, NO_STORE } from "../responses.js";

export const admissionsDocs: OperationDocs = {
  getAdmission: {
    summary: "Has this ticket been admitted: when, at which gate and scanner, how many valid scans",
    description:
      "A gate that is online asks before it admits someone: `admitted: true` means the ticket already has a valid scan at the event (its first entry is shown). Never cached. Offline scanners' scans count once they are uploaded.",
    answers: {
      200: { description: "The ticket's admission.", content: { schema: admission }, headers: NO_STORE },
    },
  },
};
