// The few lines the demo command prints when it is done: what it generated, what it
// stored, the event's totals, and how to see them through the API.
import type { DatabaseTarget } from "../../node/database-target.js";
import type { LoadReport } from "./load.js";
import { GATES, SCANNER_COUNT } from "./venue.js";

export interface ApiHint {
  /** e.g. http://127.0.0.1:8787 */
  baseUrl: string;
  /** API_TOKENS is set: requests need a reader token. */
  needsToken: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const count = <T>(rows: T[], test: (r: T) => boolean) => rows.filter(test).length;

export function demoSummary(report: LoadReport, where: DatabaseTarget, api: ApiHint): string {
  const { data, stats, evening } = report;
  const { scans, transfers, invalidAttempts } = data;
  const valid = count(scans, (s) => s.is_valid);
  const reEntries = count(scans, (s) => s.additional_metadata?.re_entry === true);
  const failed = count(transfers, (t) => !t.is_successful);
  const atGates = count(invalidAttempts, (a) => a.attempt_type === "scan");
  const unauthorized = count(invalidAttempts, (a) => a.attempt_type === "transfer");
  const guesses = invalidAttempts.length - atGates - unauthorized;
  const query = `event_id=${encodeURIComponent(data.eventId)}`;
  // The doors, not the weeks of transfers before them: the timeline's own default would span those.
  const [doors, end] = [evening.doorsOpen.toISOString(), evening.end.toISOString()];
  const curl = api.needsToken ? `curl -H "Authorization: Bearer $READER_TOKEN"` : "curl";
  return [
    `Demo event ${data.eventId} in ${where.database} ${where.target}`,
    `  evening    ${data.evening.date}, doors 18:00-21:30 UTC, ${GATES.length} gates, ${SCANNER_COUNT} scanners`,
    `  scans      ${scans.length}: ${valid} valid (${reEntries} re-entries), ${scans.length - valid} refused`,
    `  transfers  ${transfers.length}: ${transfers.length - failed} successful, ${failed} failed`,
    `  invalid    ${invalidAttempts.length} attempts: ${atGates} at the gates, ` +
      `${plural(unauthorized, "unauthorized transfer")}, ${plural(guesses, "ticket guess", "ticket guesses")} from one address`,
    `  stored ${report.stored}, already present ${report.present} (${plural(report.batches, "batch", "batches")})`,
    ...(evening.date === data.evening.date
      ? []
      : [
          `  note       these records were stored before, on the evening of ${evening.date} (same uuids),`,
          `             and stay there. For ${data.evening.date}, load into an empty database or another --event-id`,
        ]),
    `Event totals: ${stats.scan_count} scans (${stats.valid_scan_count} valid), ` +
      `${stats.transfer_count} transfers (${stats.failed_transfer_count} failed), ` +
      `${stats.invalid_attempt_count} invalid attempts` +
      (stats.scan_count === scans.length && stats.transfer_count === transfers.length
        ? ""
        : " (the event holds other records too)"),
    "",
    `See them (start the server with \`npm start\`${api.needsToken ? "; a reader token from API_TOKENS" : ""}):`,
    `  ${curl} '${api.baseUrl}/stats?${query}'`,
    `  ${curl} '${api.baseUrl}/stats/scans?${query}&limit=5'`,
    `  ${curl} '${api.baseUrl}/stats/attendance?${query}'`,
    `  ${curl} '${api.baseUrl}/stats/timeline?${query}&bucket=15m&from=${doors}&to=${end}'`,
    `  ${curl} '${api.baseUrl}/stats/gates?${query}'`,
    `  ${curl} '${api.baseUrl}/stats/alerts?${query}&limit=5'`,
  ].join("\n");
}

/** Where `npm start` with this HOST and PORT answers, as a client on this machine sees it. */
export function localBaseUrl(host: string, port: number): string {
  const h = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
