// How far a gate device's clock may be off: one place for the server (device-clock.ts) and
// the dashboard (its "clock N behind" flag). A leaf module: the dashboard's bundle takes it
// without the server's code.

/** Off by more than this, a device's clock is wrong (an upload's own delay stays within it): the dashboard says so. */
export const CLOCK_TRUSTED_WITHIN_MS = 60_000;

/**
 * Off by more than this, the device's times cannot be right, and the server puts them on
 * its own clock (device-clock.ts). Within it they are stored as sent: a request retried
 * whole with its first `sent_at` (minutes or hours later) looks the same as a slow clock,
 * and its right times must not move.
 */
export const CLOCK_CORRECTED_BEYOND_MS = 24 * 60 * 60_000;

/** `offsetMs`: the server's receive time minus the device's `sent_at`. */
export const clockIsWrong = (offsetMs: number): boolean => Math.abs(offsetMs) > CLOCK_TRUSTED_WITHIN_MS;
