// A gate device whose clock is wrong (a year ahead, or reset to 1970 by a flat battery):
// what it records still reaches the server and counts, at the time it happened by the
// server's clock, rather than being refused (a year ahead is "in the future") and kept in
// the device's dead letters for good, or entered in 1970.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startTestServer, type TestServer } from "../../test/support/server.js";
import { ScanBuffer, Uploader } from "../src/index.js";
import { type TempDir, tempDir } from "./support/buffers.js";
import { AUTH_ENV, READER, scannerToken } from "./support/tokens.js";

const MINUTE = 60_000;
const YEAR = 365 * 24 * 60 * MINUTE;

describe("a device whose clock is wrong", () => {
  let dir: TempDir;
  let server: TestServer;
  beforeEach(async () => {
    dir = tempDir();
    server = await startTestServer("sqlite", AUTH_ENV);
  });
  afterEach(async () => {
    await server?.stop();
    dir.cleanup();
  });

  const read = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${READER}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  for (const [name, skew] of [
    ["a year ahead", YEAR],
    ["reset to 1970", -Date.now() + 10 * MINUTE],
  ] as const) {
    it(`delivers what a device ${name} recorded, on the server's clock, with nothing dead-lettered`, async () => {
      const event = `clock-${skew > 0 ? "ahead" : "reset"}`;
      const scannerId = `gate-clock-${skew > 0 ? "a" : "r"}`;
      // The device's clock: `skew` off the real one, as it was 5 minutes ago and is now.
      let deviceNow = Date.now() + skew - 5 * MINUTE;
      const clock = () => new Date(deviceNow);
      const buffer = ScanBuffer.open({ path: dir.path(`${scannerId}.db`), scannerId, now: clock });
      try {
        // Recorded on the device, whose every clock reading (its checks too) is the wrong one.
        vi.useFakeTimers({ toFake: ["Date"], now: deviceNow });
        const scan = (() => {
          try {
            return buffer.record({ event_id: event, ticket_id: "t-1", location: "North Gate" });
          } finally {
            vi.useRealTimers();
          }
        })();
        deviceNow += 5 * MINUTE;
        const uploader = new Uploader({
          buffer,
          url: server.url,
          token: await scannerToken(scannerId),
          now: clock,
        });
        expect(await uploader.drain()).toMatchObject({ accepted: 1, pending: 0 });
        expect(buffer.status()).toMatchObject({ pending: 0, dead_letters: 0 });
        const admission = await read<{ admitted: boolean; first_entry: { scan_timestamp: string } }>(
          `/admissions/t-1?event_id=${event}`,
        );
        expect(admission.admitted).toBe(true);
        // Five minutes ago by the server's clock (give or take the upload), not the device's.
        const at = Date.parse(admission.first_entry.scan_timestamp);
        expect(Math.abs(at - (Date.now() - 5 * MINUTE))).toBeLessThan(30_000);
        expect(at).not.toBe(Date.parse(scan.scan_timestamp));
        const devices = await read<{ devices: { clock_offset_ms: number }[] }>(
          `/stats/devices?event_id=${event}`,
        );
        expect(Math.abs((devices.devices[0]?.clock_offset_ms ?? 0) + skew)).toBeLessThan(30_000);
      } finally {
        buffer.close();
      }
    });
  }
});
