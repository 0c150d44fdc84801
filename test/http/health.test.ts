// When the database goes away: /health says 503, writes answer 503 (retry later), never 500.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_ADMIN_URL } from "../support/pg.js";
import { SPEC } from "../support/records.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("database outage", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer("postgres");
  });
  afterAll(async () => {
    await s?.stop();
  });

  it("answers 503 on /health and on writes while Postgres is gone, and 200 before", async () => {
    expect((await s.call("GET", "/health")).status).toBe(200);
    const dbName = new URL(s.databaseUrl as string).pathname.slice(1);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
    await admin.end();
    const health = await s.call("GET", "/health");
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      error: "unavailable",
      status: "unavailable",
      database: "postgres",
    });
    const write = await s.call("POST", "/scans", SPEC.scan);
    expect(write.status).toBe(503);
    expect(write.headers.get("Retry-After")).toBe("2");
    expect((await write.json()).error).toBe("unavailable");
  });
});
