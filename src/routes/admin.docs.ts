// What the API document says of POST /admin/revocations (./admin.ts): joined to the
// routes by operationId (../http/operation-docs.ts), read by the document's generator only.
import type { OperationDocs } from "../http/operation.js";
import { revocation } from "../responses.js";

export const adminDocs: OperationDocs = {
  revokeScanner: {
    summary: "Revoke one scanner's tokens",
    description:
      "Every signed token of `scanner_id` issued before now is refused from now on (401 at `POST /sync` and `GET /admissions`); a token issued afterwards (`npm run token -- scanner <scanner_id>`) works. Nothing the device uploaded before is touched. Revoking again moves the moment on. API_TOKENS entries are not affected: rotate those in the configuration.",
    answers: {
      200: {
        description: "Revoked: its tokens issued before `revoked_at` are refused.",
        content: { schema: revocation },
      },
    },
  },
};
