// The headline figures: the event's counters (GET /stats?event_id) and its attendance
// (GET /stats/attendance), as the API gives them.
import { $ } from "./dom.js";
import { count, plural, time } from "./format.js";
import type { Attendance, EventStats } from "./types.js";

export function renderHeadline(stats: EventStats, att: Attendance, now: number): void {
  $("fig-admitted").textContent = count(att.admitted_count);
  $("fig-valid").textContent = count(stats.valid_scan_count);
  $("fig-invalid").textContent = count(stats.invalid_scan_count);
  $("fig-repeat").textContent = count(att.repeat_scan_count);
  $("fig-attempts").textContent = count(stats.invalid_attempt_count);
  $("fig-transfers").textContent = count(stats.successful_transfer_count);
  $("fig-transfers-failed").textContent = `${count(stats.failed_transfer_count)} failed`;
  const records = stats.scan_count + stats.transfer_count + stats.invalid_attempt_count;
  $("entry-times").textContent =
    records === 0
      ? "No records for this event yet: if some were expected, check the event id."
      : att.first_entry_at === null
        ? "No one admitted yet."
        : `First entry ${time(att.first_entry_at, now)} · latest first entry ${time(att.last_entry_at, now)}` +
          (att.peak
            ? ` · busiest minute ${time(att.peak.minute, now)} (${plural(att.peak.entries, "entry", "entries")})`
            : "");
}
