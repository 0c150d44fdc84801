// POST /admin/revocations in process (app.request): who may call it, and what the log says
// when a token is refused: the token's id (its jti) and why, never the token itself. What
// a revocation does to a device, on every target: test/http/contract/revocation.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueScannerToken } from "../../src/auth/signed-tokens.js";
import { createLogger } from "../../src/observability/logger.js";
import { freshId } from "../support/api.js";
import { authChecks } from "../support/auth-checks.js";
import { syncBody, syncScan } from "../support/records.js";
import { type RouteApp, routeApp } from "../support/route-app.js";
import { routesOf } from "../support/routes.js";
import { SIGNING_KEY } from "../support/tokens.js";

/** A token's id, read from its payload as the server would. */
const idOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()) as { jti: string }).jti;

describe("POST /admin/revocations", () => {
  let t: RouteApp;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await routeApp({ logger: createLogger("info", {}, (line) => logs.push(line)) });
  });
  afterAll(async () => {
    await t?.close();
  });

  authChecks(() => t, routesOf("admin"));

  it("logs a revoked token's refusal by its id and scanner, never the token", async () => {
    const scanner = freshId("gate-log");
    // Issued a second ago: before the revocation, whatever the clock's resolution.
    const token = await issueScannerToken(scanner, SIGNING_KEY, {
      ttlSeconds: 600,
      now: new Date(Date.now() - 1000),
    });
    expect((await t.call("POST", "/admin/revocations", { body: { scanner_id: scanner } })).status).toBe(200);
    logs.length = 0;
    const res = await t.call("POST", "/sync", {
      body: syncBody(scanner, { scans: [syncScan(freshId())] }),
      as: { token },
    });
    expect(res.status).toBe(401);
    const refused = logs.map((l) => JSON.parse(l)).find((l) => l.msg === "token refused");
    expect(refused).toMatchObject({
      level: "warn",
      reason: "revoked",
      token_id: idOf(token),
      scanner_id: scanner,
    });
    for (const line of logs) expect(line).not.toContain(token.split(".")[2]);
  });

  it("logs an expired token's refusal by its id, a forged one's by the id it only claims, never the token", async () => {
    const scanner = freshId("gate-log");
    const hourAgo = new Date(Date.now() - 3_600_000);
    const expired = await issueScannerToken(scanner, SIGNING_KEY, { ttlSeconds: 60, now: hourAgo });
    const otherKey = "a-key-the-server-does-not-have-0123456789";
    const forged = await issueScannerToken(scanner, otherKey);
    // Expired and forged: hono refuses it for its time before it looks at the signature.
    const forgedExpired = await issueScannerToken(scanner, otherKey, { ttlSeconds: 60, now: hourAgo });
    for (const [token, reason, field] of [
      [expired, "expired", "token_id"],
      [forged, "bad_signature", "claimed_token_id"],
      [forgedExpired, "bad_signature", "claimed_token_id"],
    ] as const) {
      logs.length = 0;
      const res = await t.call("GET", `/admissions/t1?event_id=${freshId()}`, { as: { token } });
      expect(res.status).toBe(401);
      const refused = logs.map((l) => JSON.parse(l)).find((l) => l.msg === "token refused");
      expect(refused).toMatchObject({ reason, [field]: idOf(token) });
      expect(Object.keys(refused)).not.toContain(field === "token_id" ? "claimed_token_id" : "token_id");
      for (const line of logs) expect(line).not.toContain(token.split(".")[2]);
    }
  });

  it("logs who was revoked, and the moment", async () => {
    const scanner = freshId("gate-log");
    logs.length = 0;
    const res = await t.call("POST", "/admin/revocations", { body: { scanner_id: scanner } });
    const { revoked_at } = (await res.json()) as { revoked_at: string };
    expect(logs.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ msg: "scanner revoked", scanner_id: scanner, revoked_at }),
    );
  });
});
