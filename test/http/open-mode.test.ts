// The Node server without API_TOKENS or SCANNER_SIGNING_KEY: open, and only while bound
// to a loopback address, to requests addressed to it by a loopback name.
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { issueScannerToken } from "../../src/auth/signed-tokens.js";
import { parseConfig } from "../../src/config.js";
import { startServer } from "../../src/node/start.js";
import { silentLogger } from "../../src/observability/logger.js";
import { SPEC } from "../support/records.js";
import { startTestServer } from "../support/server.js";
import { SIGNING_KEY } from "../support/tokens.js";

/** A request with a Host header of our choosing (fetch will not send one). */
function withHost(port: number, method: string, path: string, host: string, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", method, path, headers: { Host: host } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.once("error", reject);
    req.end(body);
  });
}

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
      // No CORS_ORIGINS: a preflight is refused as an unlisted origin's (403, not "no route").
      const preflight = await fetch(`${s.url}/scans`, {
        method: "OPTIONS",
        headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
      expect(await preflight.json()).toMatchObject({ error: "forbidden" });
    } finally {
      await s.stop();
    }
  });

  it("is not open to a request addressed to another name (a rebinding page's, its name resolved here)", async () => {
    const s = await startTestServer("sqlite");
    try {
      const host = `rebind.attacker.example:${s.port}`;
      const body = JSON.stringify({ ...SPEC.scan, event_id: "rebind-probe" });
      expect((await withHost(s.port, "POST", "/scans", host, body)).status).toBe(401);
      expect((await withHost(s.port, "GET", "/stats", host)).status).toBe(401);
      expect((await s.rawCounts("rebind-probe")).scan_count).toBe(0);
      for (const name of ["localhost", "127.0.0.1", "127.8.9.10", "[::1]"]) {
        expect((await withHost(s.port, "GET", "/stats", `${name}:${s.port}`)).status).toBe(200);
      }
    } finally {
      await s.stop();
    }
  });

  it("a signing key alone is not open mode: only its signed tokens get in", async () => {
    const s = await startTestServer("sqlite", { SCANNER_SIGNING_KEY: SIGNING_KEY });
    try {
      expect((await s.call("GET", "/stats?event_id=event_456")).status).toBe(401);
      expect((await s.call("POST", "/scans", SPEC.scan)).status).toBe(401);
      const scanner = await issueScannerToken("gate-a-01", SIGNING_KEY);
      const admitted = await s.call("GET", "/admissions/t1?event_id=event_456", undefined, {
        Authorization: `Bearer ${scanner}`,
      });
      expect(admitted.status).toBe(200);
    } finally {
      await s.stop();
    }
    // And so it may listen beyond loopback.
    const config = parseConfig({
      HOST: "0.0.0.0",
      PORT: "0",
      SQLITE_PATH: ":memory:",
      SCANNER_SIGNING_KEY: SIGNING_KEY,
    });
    const wide = await startServer(config, silentLogger);
    await wide.close();
  });

  it("refuses CORS_ORIGINS=* (any page could use it), and starts with the origins listed", async () => {
    const wildcard = parseConfig({ PORT: "0", SQLITE_PATH: ":memory:", CORS_ORIGINS: "*" });
    await expect(startServer(wildcard, silentLogger)).rejects.toThrow(/CORS_ORIGINS=\*/);
    const listed = parseConfig({ PORT: "0", SQLITE_PATH: ":memory:", CORS_ORIGINS: "http://localhost:5173" });
    await (await startServer(listed, silentLogger)).close();
  });

  it("refuses to start on a non-loopback address", async () => {
    const config = parseConfig({ HOST: "0.0.0.0", PORT: "0", SQLITE_PATH: ":memory:" });
    await expect(startServer(config, silentLogger)).rejects.toThrow(/refusing to listen/);
  });
});
