// The Worker's cron job, on D1 and on Neon: retention of raw records by their own time,
// once they also arrived that long ago, stats untouched.
import { describe, expect, it } from "vitest";
import { SPEC } from "../support/records.js";
import { neonTestDatabase } from "./support/neon.js";
import { workerOn } from "./support/worker.js";

let n = 0;
const freshEvent = () => `retention_event_${Date.now()}_${n++}`;
const tickets = async (res: Response, key: string) =>
  ((await res.json<Record<string, { ticket_id: string }[]>>())[key] ?? []).map((r) => r.ticket_id).sort();

describe.each(["d1", "postgres"] as const)("Worker cron retention on %s", (backend) => {
  const postgres = backend === "postgres" ? neonTestDatabase() : undefined;
  const write = workerOn({ STATS_CACHE_SECONDS: "0" }, { postgres });

  const seed = async (e: string, old: string, recent: string) => {
    const posts: [string, object][] = [
      ["/scans", { ...SPEC.scan, event_id: e, ticket_id: "old-1", scan_timestamp: old }],
      ["/scans", { ...SPEC.scan, event_id: e, ticket_id: "old-2", scan_timestamp: old, is_valid: false }],
      ["/scans", { ...SPEC.scan, event_id: e, ticket_id: "recent", scan_timestamp: recent }],
      ["/transfers", { ...SPEC.transfer, event_id: e, ticket_id: "old-1", transfer_timestamp: old }],
      [
        "/invalid-attempts",
        { ...SPEC.invalidAttempt, event_id: e, ticket_id: "old-1", attempt_timestamp: old },
      ],
      [
        "/invalid-attempts",
        { ...SPEC.invalidAttempt, event_id: e, ticket_id: "recent", attempt_timestamp: recent },
      ],
    ];
    for (const [path, body] of posts) expect((await write.call("POST", path, body)).status).toBe(201);
    return (await write.call("GET", `/stats?event_id=${e}`)).json();
  };

  it("deletes records older than RETENTION_DAYS by their own time, once they arrived as long ago, and leaves the stats as they were", async () => {
    const e = freshEvent();
    const now = new Date();
    const hour = 3_600_000;
    const old = new Date(now.getTime() - 31 * 24 * hour).toISOString();
    const recent = new Date(now.getTime() + 2 * hour).toISOString();
    const before = await seed(e, old, recent);
    expect(before).toMatchObject({ scan_count: 3, transfer_count: 1, invalid_attempt_count: 2 });
    const retention = workerOn({ RETENTION_DAYS: "30" }, { postgres });

    // Uploaded just now (an offline scanner's records): kept, so that a retried upload is
    // known by its uuids and not counted again.
    await retention.scheduled(now);
    expect(await tickets(await write.call("GET", `/stats/scans?event_id=${e}`), "scans")).toEqual([
      "old-1",
      "old-2",
      "recent",
    ]);
    // 30 days and an hour on: the old ones arrived more than 30 days ago as well.
    await retention.scheduled(new Date(now.getTime() + (30 * 24 + 1) * hour));

    expect(await tickets(await write.call("GET", `/stats/scans?event_id=${e}`), "scans")).toEqual(["recent"]);
    expect(await tickets(await write.call("GET", `/stats/transfers?event_id=${e}`), "transfers")).toEqual([]);
    const attempts = await write.call("GET", `/stats/invalid-attempts?event_id=${e}`);
    expect(await tickets(attempts, "attempts")).toEqual(["recent"]);
    expect(await (await write.call("GET", `/stats?event_id=${e}`)).json()).toEqual(before);
  });

  it("keeps every record when RETENTION_DAYS is unset", async () => {
    const e = freshEvent();
    await seed(e, "2001-06-01T00:00:00Z", "2002-06-01T00:00:00Z");
    await workerOn({ RETENTION_DAYS: undefined }, { postgres }).scheduled();
    const scans = await tickets(await write.call("GET", `/stats/scans?event_id=${e}`), "scans");
    expect(scans).toEqual(["old-1", "old-2", "recent"]);
  });
});
