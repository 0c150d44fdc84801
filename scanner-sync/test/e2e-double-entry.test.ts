// The offline double entry (DESIGN.md, "Signals"), end to end on each server database: two
// gate devices, at two gates, admit the same ticket minutes apart while the server is
// down; each keeps its scan, with its own time, in its buffer. When the server comes back
// and both devices sync, GET /stats/alerts shows one double entry for that ticket naming
// both devices and gates: offline (both reached the server minutes after their own time),
// on two scanners, so of high severity.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DbKind, startTestServer, type TestServer } from "../../test/support/server.js";
import { recomputeAlerts } from "../../test/support/signals-recompute.js";
import { ScanBuffer, SyncUnavailable, Uploader } from "../src/index.js";
import { type TempDir, tempDir } from "./support/buffers.js";
import { freePort } from "./support/server-process.js";
import { AUTH_ENV, READER, scannerToken } from "./support/tokens.js";

const MINUTE = 60_000;
/** DESIGN.md's defaults, which the server runs with here. */
const THRESHOLDS = { offlineLagSeconds: 60, passbackSeconds: 900, transferChain: 3, burstCount: 10 };
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Gate {
  scannerId: string;
  location: string;
  /** How long ago (ms) the device admitted the ticket, by its own clock. */
  ago: number;
}

const NORTH: Gate = { scannerId: "gate-north-01", location: "North Gate", ago: 6 * MINUTE };
const SOUTH: Gate = { scannerId: "gate-south-01", location: "South Gate", ago: 2 * MINUTE };

for (const db of ["sqlite", "postgres"] as DbKind[]) {
  describe(`an offline double entry (${db})`, () => {
    let dir: TempDir;
    let server: TestServer | undefined;
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(async () => {
      await server?.stop();
      server = undefined;
      dir.cleanup();
    });

    it("two devices admit the same ticket while the server is down; once both sync, one high, offline double entry names both", async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`; // nothing listens there yet
      const event = `double-entry-${db}`;
      const ticket = "ticket-shared-42";

      // Each device admits the ticket at its own time, minutes ago: the buffer's clock says
      // when, as a device's would have at that moment.
      const ref = Date.now();
      const recorded = [NORTH, SOUTH].map((gate) => {
        const then = ref - gate.ago;
        const buffer = ScanBuffer.open({
          path: dir.path(`${gate.scannerId}.db`),
          scannerId: gate.scannerId,
          now: () => new Date(then),
        });
        try {
          return buffer.record({ event_id: event, ticket_id: ticket, location: gate.location });
        } finally {
          buffer.close();
        }
      });
      const [north, south] = recorded as [(typeof recorded)[0], (typeof recorded)[0]];
      expect(north).toMatchObject({ scanner_id: NORTH.scannerId, location: NORTH.location, is_valid: true });
      expect(Date.parse(south.scan_timestamp) - Date.parse(north.scan_timestamp)).toBe(NORTH.ago - SOUTH.ago);

      // Now, on each device's own (current) clock: the server cannot be reached, so both scans stay.
      const buffers = [NORTH, SOUTH].map((gate) =>
        ScanBuffer.open({ path: dir.path(`${gate.scannerId}.db`), create: false }),
      );
      try {
        const uploaders = await Promise.all(
          buffers.map(
            async (buffer) =>
              new Uploader({
                buffer,
                url,
                token: await scannerToken(buffer.scannerId),
                backoff: { baseMs: 10, capMs: 20 },
              }),
          ),
        );
        for (const u of uploaders) await expect(u.drain({ maxRetries: 1 })).rejects.toThrow(SyncUnavailable);
        expect(buffers.map((b) => b.status().pending)).toEqual([1, 1]);

        // The server comes up where the devices were sending; both sync.
        server = await startTestServer(db, { ...AUTH_ENV, PORT: String(port) });
        const results = await Promise.all(uploaders.map((u) => u.drain()));
        expect(results.map((r) => [r.accepted, r.pending])).toEqual([
          [1, 0],
          [1, 0],
        ]);
      } finally {
        for (const b of buffers) b.close();
      }

      const res = await fetch(`${server.url}/stats/alerts?event_id=${event}`, {
        headers: { Authorization: `Bearer ${READER}` },
      });
      expect(res.status).toBe(200);
      const answer = await res.json();
      const seen = (scan: typeof north, gate: Gate) => ({
        uuid: scan.uuid,
        scanner_id: gate.scannerId,
        location: gate.location,
        scan_timestamp: scan.scan_timestamp,
        received_at: expect.stringMatching(ISO_MS),
      });
      expect(answer).toEqual({
        event_id: event,
        summary: { double_entry: 1, transfer_chain: 0, invalid_burst: 0 },
        alerts: [
          {
            kind: "double_entry",
            severity: "high",
            at: south.scan_timestamp,
            ticket_id: ticket,
            valid_scans: 2,
            first: seen(north, NORTH),
            second: seen(south, SOUTH),
            gap_seconds: (NORTH.ago - SOUTH.ago) / 1000,
            offline: true,
            // Another gate, 4 minutes after the first: within the passback window too.
            passback: true,
          },
        ],
        count: 1,
        next: null,
      });
      // Both reached the server after the sync started, minutes after their own time.
      const [first, second] = [answer.alerts[0].first, answer.alerts[0].second];
      for (const scan of [first, second]) {
        expect(Date.parse(scan.received_at) - Date.parse(scan.scan_timestamp)).toBeGreaterThan(
          THRESHOLDS.offlineLagSeconds * 1000,
        );
      }
      // And the answer is what the raw rows say.
      const want = await recomputeAlerts(server.raw.dialect, server.raw.query, event, THRESHOLDS);
      expect({ summary: answer.summary, alerts: answer.alerts }).toEqual(want);
    });
  });
}
