// What the API document says of GET /stats/alerts and /stats/transfers/summary
// (./signals.ts): joined to the routes by operationId (../http/operation-docs.ts), read by
// the document's generator only.
import type { OperationDocs } from "../http/operation.js";
import { alertsAnswer, transferSummary } from "../responses.js";

export const signalsDocs: OperationDocs = {
  getAlerts: {
    summary: "An event's alerts: double entries, transfer chains, invalid bursts, newest first",
    description:
      "Double entries (a ticket with two or more valid scans, flagged offline and passback), transfer chains and bursts of invalid records, a page at a time: pass `next` as `before` for the next page. Thresholds come from ALERT_OFFLINE_LAG_SECONDS, ALERT_PASSBACK_SECONDS, ALERT_TRANSFER_CHAIN and ALERT_BURST_COUNT. An event without alerts answers zeros and an empty list.",
    answers: { 200: { description: "A page of the event's alerts.", content: { schema: alertsAnswer } } },
  },
  getTransferSummary: {
    summary: "An event's transfers for revenue: totals, tickets transferred, per reason and per UTC day",
    description:
      "Every transfer ever logged for the event counts, also after retention has deleted the records. An event without transfers answers zeros and empty lists.",
    answers: { 200: { description: "The event's transfers.", content: { schema: transferSummary } } },
  },
};
