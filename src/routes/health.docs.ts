// What the API document says of GET /health and GET /metrics (./health.ts): joined to the
// routes by operationId (../http/operation-docs.ts), read by the document's generator only.
import type { OperationDocs } from "../http/operation.js";
import { errorEnvelope, healthOk, healthUnavailable } from "../responses.js";

export const healthDocs: OperationDocs = {
  getHealth: {
    summary: "Whether the service and its database answer",
    description: "For load balancers and uptime checks. 503 while the Node server drains after SIGTERM.",
    answers: {
      200: { description: "Up, and the database answers.", content: { schema: healthOk } },
      503: {
        description:
          "Down: the database does not answer (`unavailable`), lacks the schema (`database_not_migrated`), or the server is shutting down.",
        content: { schema: healthUnavailable },
      },
    },
  },
  getMetrics: {
    summary: "Prometheus metrics of the process (Node)",
    description:
      "Requests, database operations and records ingested, in the Prometheus text format. On Workers the same measurements go to Workers Analytics Engine, and this route answers 404. The figures are of every event: a reader token scoped to events is refused (403).",
    answers: {
      200: {
        description: "The metrics, in the Prometheus text exposition format.",
        content: { type: "text/plain", schema: { type: "string" } },
      },
      404: {
        description: "Not served by this runtime (Workers).",
        content: { schema: errorEnvelope(404) },
      },
    },
  },
};
