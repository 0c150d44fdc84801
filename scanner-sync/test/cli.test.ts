// The CLI's own behaviour, offline: what it prints, and how it says no.
import { existsSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScanBuffer } from "../src/index.js";
import { type TempDir, tempDir } from "./support/buffers.js";
import { finished, runCli, spawnCli } from "./support/cli.js";

describe("veritix-scanner", () => {
  let dir: TempDir;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = tempDir();
    env = { SCANNER_DB: dir.path("gate.db"), SCANNER_ID: "gate-c-01" };
  });
  afterAll(() => dir.cleanup());

  it("records a scan, prints it, and notes a ticket already admitted here", async () => {
    const args = [
      "record",
      "--event-id",
      "e1",
      "--ticket-id",
      "t1",
      "--location",
      "North Gate",
      "--metadata",
      '{"lane":3}',
    ];
    const first = await runCli(args, env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      uuid: expect.any(String),
      ticket_id: "t1",
      scanner_id: "gate-c-01",
      location: "North Gate",
      is_valid: true,
      additional_metadata: { lane: 3 },
    });
    expect(first.stderr).toBe("");
    const again = await runCli(["--db", dir.path("gate.db"), ...args], {});
    expect(again.stderr).toMatch(/ticket t1 was already admitted here at .*\(North Gate, gate-c-01\)/);
    const buffer = ScanBuffer.open({ path: dir.path("gate.db"), create: false });
    expect(buffer.lastScanOf("t1", "e1")?.uuid).toBe(JSON.parse(again.stdout).uuid);
    buffer.close();
  });

  it("refuses a bad record with the reason and stores nothing", async () => {
    const r = await runCli(["record", "--event-id", "e1", "--ticket-id", "x".repeat(200)], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/record refused: ticket_id: must be at most 128 characters/);
  });

  it("imports NDJSON from a file, and names the bad lines of a bad one", async () => {
    const good = dir.path("good.ndjson");
    writeFileSync(
      good,
      '{"event_id":"e2","ticket_id":"a"}\n{"event_id":"e2","ticket_id":"b","is_valid":false}\n',
    );
    expect((await runCli(["import", good], env)).stdout.trim()).toBe('{"imported":2,"duplicates":0}');
    const bad = dir.path("bad.ndjson");
    writeFileSync(bad, '{"event_id":"e2","ticket_id":"c"}\n{"event_id":"e2"}\n{oops\n');
    const r = await runCli(["import", bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /import refused, nothing stored: 2 bad lines\n {2}line 2: ticket_id: .*\n {2}line 3: not valid JSON/,
    );
    const status = await runCli(["status"], env);
    expect(status.stdout).toMatch(/scanner {6}gate-c-01/);
    expect(status.stdout).toMatch(/pending {6}4, oldest recorded/);
    expect(status.stdout).toMatch(/last sync {4}never/);
  });

  it("says clearly what is wrong with the URL or the database file", async () => {
    writeFileSync(dir.path("notes.txt"), "not a database at all, only words ".repeat(30));
    const [noUrl, badUrl, junk, missing] = await Promise.all([
      runCli(["sync"], env),
      runCli(["sync", "--url", "gate-server:8787"], env),
      runCli(["status", "--db", dir.path("notes.txt")], {}),
      runCli(["dead-letters", "--db", dir.path("nope.db")], {}),
    ]);
    expect([noUrl.code, noUrl.stderr]).toEqual([
      1,
      "veritix-scanner: no server URL: pass --url or set SYNC_URL\n",
    ]);
    expect([badUrl.code, badUrl.stderr]).toEqual([
      1,
      "veritix-scanner: the sync URL must be http:// or https://, not gate-server:\n",
    ]);
    expect([junk.code, junk.stderr]).toEqual([
      1,
      `veritix-scanner: cannot use scanner database ${dir.path("notes.txt")}: the file is not a SQLite database\n`,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no scanner database at .*nope\.db/);
  });

  it("a one-shot sync of a buffer that is not there: exit 1 naming its full path, and nothing created", async () => {
    const absent = dir.path("elsewhere/absent.db");
    const r = await runCli(["sync", "--url", "http://127.0.0.1:9", "--db", absent], {
      SCANNER_ID: "gate-c-01",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `veritix-scanner: no scanner database at ${absent} (nothing recorded yet, or a wrong --db / SCANNER_DB?)\n`,
    );
    expect(existsSync(absent)).toBe(false);
  });

  it("check without a buffer yet (nor a scanner id), the server down: unknown (11), a local answer, nothing created", async () => {
    const absent = dir.path("fresh/gate.db");
    const args = [
      "check",
      "--url",
      "http://127.0.0.1:9",
      "--db",
      absent,
      "--event-id",
      "e1",
      "--ticket-id",
      "t1",
    ];
    const r = await runCli(args, {});
    expect(r.code).toBe(11);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: "local", admitted: false, valid_scans: 0 });
    expect(r.stderr).toContain(`no buffer at ${absent}`);
    expect(existsSync(absent)).toBe(false);
  });

  it("refuses --reason without --invalid (it would store a valid scan), and --attempt-type without --reason", async () => {
    const db = dir.path("combos.db");
    const base = ["record", "--db", db, "--event-id", "e1", "--ticket-id", "t9"];
    const [reason, attemptType] = await Promise.all([
      runCli([...base, "--reason", "expired"], env),
      runCli([...base, "--invalid", "--attempt-type", "transfer"], env),
    ]);
    expect([reason.code, reason.stderr]).toEqual([
      1,
      "veritix-scanner: --reason goes with --invalid (a refused scan); without --invalid the scan is valid\n",
    ]);
    expect(attemptType.code).toBe(1);
    expect(attemptType.stderr).toContain("--attempt-type goes with --invalid --reason");
    expect(existsSync(db)).toBe(false);
  });

  it("refuses a number option that is not one, in one line and before any work", async () => {
    const runs = await Promise.all(
      [
        ["sync", "--timeout", "abc"],
        ["sync", "--timeout", "0"],
        ["sync", "--poll", "0"],
        ["sync", "--max-backoff", "-5"],
        ["sync", "--batch-size", "abc"],
        ["sync", "--batch-size", "0"],
        ["sync", "--in-flight", "1.5"],
        ["check", "--event-id", "e", "--ticket-id", "t", "--timeout", "0x10"],
        ["dead-letters", "--limit", "0"],
      ].map((args) => runCli(args, { ...env, SYNC_URL: "http://127.0.0.1:9" }).then((r) => ({ args, ...r }))),
    );
    for (const r of runs) {
      expect(r.code, r.args.join(" ")).toBe(1);
      expect(r.stderr, r.args.join(" ")).toMatch(
        /^error: option '--[a-z-]+ <[a-z]+>' argument '.*' is invalid\./,
      );
      expect(r.stderr, r.args.join(" ")).not.toMatch(/\n\s+at /);
    }
  });

  it("a record whose output nobody reads (a closed pipe) is stored, and the command still exits 0", async () => {
    const db = dir.path("pipe.db");
    const child = spawnCli(["record", "--db", db, "--event-id", "e1", "--ticket-id", "p1"], env);
    child.stdout?.destroy();
    const r = await finished(child);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const buffer = ScanBuffer.open({ path: db, create: false });
    expect(buffer.lastScanOf("p1", "e1")).not.toBeNull();
    expect(buffer.status().pending).toBe(1);
    buffer.close();
  });

  it("puts dead letters back in the queue with --requeue, naming uuids that are not dead letters", async () => {
    const db = dir.path("requeue.db");
    const buffer = ScanBuffer.open({ path: db, scannerId: "gate-c-02" });
    buffer.transaction(() => {
      for (const t of ["r1", "r2", "r3"]) buffer.record({ event_id: "e3", ticket_id: t });
    });
    const batch = buffer.outbox.pending(3);
    const issues = [{ path: "scan_timestamp", message: "must not be more than 24 hours in the future" }];
    buffer.outbox.settle(
      batch,
      batch.slice(0, 2).map((i) => ({ seq: i.seq, issues })),
      "req-1",
    );
    buffer.close();
    const env = { SCANNER_DB: db };
    const status = async () => JSON.parse((await runCli(["status", "--json"], env)).stdout);

    const listed = await runCli(["dead-letters"], env);
    expect(listed.stdout.trim().split("\n")).toEqual(
      batch
        .slice(0, 2)
        .map((i) =>
          expect.stringMatching(new RegExp(`scan ${i.uuid} .*24 hours in the future \\[request req-1\\]$`)),
        ),
    );
    expect(listed.stderr).toBe("");
    const first = await runCli(["dead-letters", "--limit", "1"], env);
    expect(first.stdout.trim().split("\n")).toHaveLength(1);
    expect(first.stderr).toBe("1 of 2 dead letters shown (--limit for more)\n");
    const help = await runCli(["dead-letters", "--help"], env);
    expect(help.stdout).toMatch(/--requeue/);
    expect(help.stdout).toMatch(/more than 24 h fast/);
    const alone = await runCli(["dead-letters", "--uuid", batch[0]?.uuid as string], env);
    expect([alone.code, alone.stderr]).toEqual([1, "veritix-scanner: --uuid only goes with --requeue\n"]);

    const bogus = "0190a000-0000-7000-8000-0000000000ff";
    const some = await runCli(
      ["dead-letters", "--requeue", "--uuid", String(batch[1]?.uuid).toUpperCase(), "--uuid", bogus],
      env,
    );
    expect(some.code).toBe(1);
    expect(some.stdout).toBe("requeued 1 dead letter: the next sync sends it again\n");
    expect(some.stderr).toBe(`veritix-scanner: not a dead letter on this device: ${bogus}\n`);
    expect(await status()).toMatchObject({ pending: 1, dead_letters: 1 });

    const rest = await runCli(["dead-letters", "--requeue"], env);
    expect([rest.code, rest.stdout]).toEqual([0, "requeued 1 dead letter: the next sync sends it again\n"]);
    expect(await status()).toMatchObject({ pending: 2, dead_letters: 0 });
    expect((await runCli(["dead-letters", "--requeue"], env)).stdout).toBe("no dead letters requeued\n");
    expect((await runCli(["dead-letters"], env)).stdout).toBe("no dead letters\n");
  });
});
