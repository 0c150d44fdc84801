// What the API document says of GET /stats/attendance, /stats/timeline and /stats/gates
// (./attendance.ts): joined to the routes by operationId (../http/operation-docs.ts), read
// by the document's generator only.
import { MAX_POINTS } from "../attendance/buckets.js";
import { type OperationDocs, ok } from "../http/operation.js";
import { attendance, gatesAnswer, timelineAnswer } from "../responses.js";

const FIRST_ENTRY =
  "A ticket is admitted by its first entry: its earliest valid scan by the scan's own time (ties by uuid), whatever order scans arrive in; a scan older than the recorded first entry, uploaded later, becomes the first entry, with its minute, gate and scanner.";

export const attendanceDocs: OperationDocs = {
  getAttendance: {
    summary: "How many people are in: admitted tickets, repeat scans, first and last entry, the peak minute",
    description: `${FIRST_ENTRY} An event without records answers zeros and nulls.`,
    answers: ok("The event's admissions.", attendance),
  },
  getTimeline: {
    summary: "The arrival curve: first entries, scans and invalid attempts per bucket",
    description: `Every bucket of \`[from, to)\` is present, zeros included, oldest first. ${FIRST_ENTRY} At most ${MAX_POINTS} points: a wider range is a 400 that names a bucket that fits.`,
    answers: ok("The points.", timelineAnswer),
  },
  getGates: {
    summary: "Each gate's throughput, and each scanner's there with its sync health",
    description: `Gates by first entries, busiest first (the gate of scans without a location is null); inside each, its scanners the same way (a scanner seen at two gates is listed under each). ${FIRST_ENTRY}`,
    answers: ok("The event's gates.", gatesAnswer),
  },
};
