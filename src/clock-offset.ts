// When a gate device's clock counts as wrong: one rule for the server, which then puts the
// device's times on its own clock (device-clock.ts), and for the dashboard, which says so
// beside the scanner. A leaf module: the dashboard's bundle takes it without the server's code.

/** Off by no more than this, a device's clock is taken as right: an upload's own delay stays within it. */
export const CLOCK_TRUSTED_WITHIN_MS = 60_000;

/** `offsetMs`: the server's receive time minus the device's `sent_at`. */
export const clockIsWrong = (offsetMs: number): boolean => Math.abs(offsetMs) > CLOCK_TRUSTED_WITHIN_MS;
