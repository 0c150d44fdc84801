// What the API document says of GET /docs (./docs.ts): joined to the
// routes by operationId (../http/operation-docs.ts), read by the document's generator only.
import type { OperationDocs } from "../http/operation.js";

export const docsDocs: OperationDocs = {
  getDocs: {
    summary: "This API's reference page",
    description: "Swagger UI over GET /openapi.json; it loads nothing but this origin.",
    answers: {
      200: { description: "The page.", content: { type: "text/html", schema: { type: "string" } } },
    },
  },
};
