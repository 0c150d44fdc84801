// What the API document says of GET /openapi.json (./app.ts): joined to the route by
// operationId (./http/operation-docs.ts), read by the document's generator only.
import type { OperationDocs } from "./http/operation.js";
import { errorEnvelope } from "./responses.js";

export const appDocs: OperationDocs = {
  getOpenApiDocument: {
    summary: "This document",
    description:
      "The OpenAPI 3.1 description of the API, generated from the schemas its routes validate with.",
    answers: {
      200: {
        description: "The document.",
        content: { type: "application/json", schema: { type: "object" } },
      },
      404: {
        description:
          "Not answered by this runtime's app: the Worker serves the document as a static asset, before the app.",
        content: { schema: errorEnvelope(404) },
      },
    },
  },
};
