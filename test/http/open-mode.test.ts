// The Node server without API_TOKENS: open, and only while bound to a loopback address.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { startServer } from "../../src/node/start.js";
import { silentLogger } from "../../src/observability/logger.js";
import { SPEC } from "../support/records.js";
import { startTestServer } from "../support/server.js";

describe("Node server without API_TOKENS", () => {
  it("runs open on a loopback address: writes and reads need no token", async () => {
    const s = await startTestServer("sqlite");
    try {
      expect((await s.call("POST", "/scans", SPEC.scan)).status).toBe(201);
      expect((await s.call("GET", "/stats?event_id=event_456")).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it("stores nothing a page of another site posts to it (a text/plain POST, no preflight)", async () => {
    const s = await startTestServer("sqlite");
    try {
      const body = JSON.stringify({ ...SPEC.scan, event_id: "csrf-probe" });
      const forged = await fetch(`${s.url}/scans`, {
        method: "POST",
        headers: { Origin: "https://evil.example", "Content-Type": "text/plain" },
        body,
      });
      expect(forged.status).toBe(403);
      expect((await s.rawCounts("csrf-probe")).scan_count).toBe(0);
      // curl, a service, the gate devices: no Origin, as before.
      expect((await s.call("POST", "/scans", { ...SPEC.scan, event_id: "csrf-probe" })).status).toBe(201);
    } finally {
      await s.stop();
    }
  });

  it("refuses to start on a non-loopback address", async () => {
    const config = parseConfig({ HOST: "0.0.0.0", PORT: "0", SQLITE_PATH: ":memory:" });
    await expect(startServer(config, silentLogger)).rejects.toThrow(/refusing to listen/);
  });
});
