// A gate scanner's clock, as POST /sync sees it: the device stamps the batch with its own
// time (`sent_at`), and the server's receive time minus that is how far off the device's
// clock is, give or take the upload's own delay. A device whose clock is off by more than
// a day (an RTC reset to 1970 after a flat battery, a clock set a year ahead) records its
// scans on that clock: taken as sent, they would be refused as more than 24 hours in the
// future (and dead-lettered on the device for good: admissions lost), or land in 1970 as
// the ticket's first entry. So their times are put on the server's clock, as analytics
// pipelines do with a client's clock (receive time − (sent − own time)). Off by less, the
// times are stored as sent (clock-offset.ts says why), and the dashboard flags the clock.
//
// Only times the device recorded before it sent the batch, on the clock it sent it with:
// one after `sent_at` was recorded on another clock (set back since), most likely right,
// and is left as it came; so is one that would land before 1970 or after the receive time
// (the offset cannot be the clock's it was recorded on).
import { CLOCK_CORRECTED_BEYOND_MS } from "./clock-offset.js";
import { isoTime } from "./iso-time.js";
import { parseTimestamp } from "./records.js";

/** A device clock too far off to be right: how far off it was when it sent the batch. */
export interface ClockCorrection {
  /** Server receive time minus the device's `sent_at`, in ms. */
  offsetMs: number;
  sentAt: Date;
  receivedAt: Date;
}

/** The correction for a batch, or null when its times are stored as sent. */
export function clockCorrection(sentAt: Date, receivedAt: Date): ClockCorrection | null {
  const offsetMs = receivedAt.getTime() - sentAt.getTime();
  return Math.abs(offsetMs) > CLOCK_CORRECTED_BEYOND_MS ? { offsetMs, sentAt, receivedAt } : null;
}

/** A time of the device's on the server's clock: moved if it was recorded before the batch was sent. */
export function onServerClock(own: Date, c: ClockCorrection): Date {
  if (own.getTime() > c.sentAt.getTime()) return own;
  const moved = own.getTime() + c.offsetMs;
  return moved < 0 || moved > c.receivedAt.getTime() ? own : new Date(moved);
}

/**
 * The item with its own time (`field`) on the server's clock: a copy, or the item as it
 * came when it has no time of its own that parses (the schema then says what is wrong).
 */
export function correctedItem(item: unknown, field: string, c: ClockCorrection): unknown {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
  const value = (item as Record<string, unknown>)[field];
  const own = typeof value === "string" ? parseTimestamp(value) : null;
  if (own === null) return item;
  const moved = onServerClock(own, c);
  return moved === own ? item : { ...item, [field]: isoTime(moved) };
}
