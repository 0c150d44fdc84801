// The SQLite writer thread dying under a call: the call fails as transient (503), nothing
// half-done stays in the file, and the next call runs on a new thread.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { encodeRow } from "../../src/store/sqlite/batch-sql.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import { startWriterThread, type WriterThread } from "../../src/store/sqlite/embedded/thread.js";
import { sqliteWriter, type WriterCall } from "../../src/store/sqlite/embedded/writer.js";
import { WRITER_DOWN } from "../../src/store/sqlite/errors.js";
import type { StoredRows } from "../../src/store/sqlite/store.js";
import { scanRow } from "../support/records.js";

const dir = mkdtempSync(join(tmpdir(), "veritix-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scans = (eventId: string, n: number) => [
  {
    kind: "scans" as const,
    rows: Array.from({ length: n }, () => encodeRow("scans", scanRow({ event_id: eventId }))),
  },
];
const storeRows = (kinds: ReturnType<typeof scans>): WriterCall => ({ op: "storeRows", args: [kinds] });
/** One call through the thread, answered as the store would see it. */
async function stored(thread: WriterThread, kinds: ReturnType<typeof scans>): Promise<StoredRows[]> {
  const [result] = await thread.together([storeRows(kinds)]);
  if (!result?.ok) throw result?.error;
  return result.value as StoredRows[];
}

describe("SQLite writer thread", () => {
  it("is ready once it has opened the file, and says so when it cannot", async () => {
    const path = join(dir, "ready.db");
    const thread = startWriterThread(path);
    try {
      await thread.ready;
    } finally {
      await thread.close();
    }
    // A directory that can never be created: the thread fails before it is ready.
    const broken = startWriterThread("/proc/veritix-no-such-dir/x.db");
    await expect(broken.ready).rejects.toThrow();
    await broken.close();
  });

  it("fails the calls of a thread that dies, keeps the file consistent and starts a new thread", async () => {
    const path = join(dir, "writer.db");
    await (await betterSqliteStore({ path, writer: "inline" })).close(); // migrated
    const started: Worker[] = [];
    const thread = startWriterThread(path, { onStart: (w) => started.push(w) });
    const reader = new Database(path, { readonly: true });
    const counts = () =>
      reader
        .prepare(
          `SELECT (SELECT count(*) FROM ticket_scans) AS rows,
                  (SELECT coalesce(sum(scan_count), 0) FROM analytics_stats) AS counted`,
        )
        .get() as { rows: number; counted: number };
    try {
      const [first] = await stored(thread, scans("e1", 10));
      expect(first?.ids.filter((id) => id > 0)).toHaveLength(10);

      // Killed while a large batch is on its way: its transaction commits whole or not at all.
      const big = scans("e2", 5000);
      const pending = stored(thread, big);
      await started[0]?.terminate();
      await expect(pending).rejects.toMatchObject({ code: WRITER_DOWN });
      expect(counts().rows).toBe(counts().counted);
      expect([10, 5010]).toContain(counts().rows);

      // The next call gets a new thread; sending the batch again is harmless.
      const [again] = await stored(thread, big);
      expect(started).toHaveLength(2);
      expect(again?.ids).toHaveLength(5000);
      expect(counts()).toEqual({ rows: 5010, counted: 5010 });
    } finally {
      reader.close();
      await thread.close();
    }
  });

  it("stores a group's plain batches in one pass: each caller its own ids, a uuid shared by two stored and counted once", async () => {
    const path = join(dir, "as-one.db");
    await (await betterSqliteStore({ path, writer: "inline" })).close(); // migrated
    const db = new Database(path);
    const writer = sqliteWriter(db);
    try {
      const [a, b] = [scans("one", 3), scans("one", 2)];
      // The second caller sends the first caller's first record again.
      const [first, second] = [a[0]?.rows[0], b[0]];
      if (!first || !second) throw new Error("scans() made no rows");
      second.rows.push(first);
      const [ra, rb] = writer.together([storeRows(a), storeRows(b)]);
      const idsA = (ra?.ok ? (ra.value as StoredRows[]) : [])[0]?.ids ?? [];
      const idsB = (rb?.ok ? (rb.value as StoredRows[]) : [])[0]?.ids ?? [];
      expect(idsA).toHaveLength(3);
      expect(idsA.every((id) => id > 0)).toBe(true);
      expect(idsB).toHaveLength(3);
      expect(idsB.slice(0, 2).every((id) => id > 0)).toBe(true);
      expect(idsB[2]).toBe(-(idsA[0] as number)); // a duplicate, answered with the stored row's id
      const row = db
        .prepare(
          `SELECT (SELECT count(*) FROM ticket_scans WHERE event_id = 'one') AS rows,
                  (SELECT sum(scan_count) FROM analytics_stats WHERE event_id = 'one') AS counted`,
        )
        .get();
      expect(row).toEqual({ rows: 5, counted: 5 });
    } finally {
      db.close();
    }
  });

  it("commits calls together, each in a savepoint: one that fails leaves the others stored", async () => {
    const path = join(dir, "together.db");
    await (await betterSqliteStore({ path, writer: "inline" })).close(); // migrated
    const db = new Database(path);
    const writer = sqliteWriter(db);
    const count = (e: string) =>
      db.prepare("SELECT count(*) AS n FROM ticket_scans WHERE event_id = ?").get(e) as { n: number };
    const counted = (e: string) =>
      db
        .prepare("SELECT coalesce(sum(scan_count), 0) AS n FROM analytics_stats WHERE event_id = ?")
        .get(e) as {
        n: number;
      };
    try {
      // The second call fails half-way: its fifth row has no ticket_id (NOT NULL).
      const halfWay = scans("t2", 5);
      (halfWay[0]?.rows[4] as unknown[])[1] = null;
      const results = writer.together([
        storeRows(scans("t1", 3)),
        storeRows(halfWay),
        storeRows(scans("t3", 5)),
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      expect([count("t1"), count("t2"), count("t3")]).toEqual([{ n: 3 }, { n: 0 }, { n: 5 }]);
      expect([counted("t1"), counted("t2"), counted("t3")]).toEqual([{ n: 3 }, { n: 0 }, { n: 5 }]);
      expect(db.inTransaction).toBe(false);
    } finally {
      db.close();
    }

    // Through the thread, calls sent together answer each for itself.
    const thread = startWriterThread(path);
    try {
      const [a, bad, b] = await thread.together([
        storeRows(scans("t4", 6)),
        { op: "atomic", args: [[{ sql: "INSERT INTO no_such_table VALUES (1)", params: [] }]] },
        storeRows(scans("t5", 7)),
      ]);
      expect(a?.ok && (a.value as StoredRows[])[0]?.ids.filter((id) => id > 0)).toHaveLength(6);
      expect(bad).toMatchObject({ ok: false, error: { message: expect.stringContaining("no such table") } });
      expect(b?.ok && (b.value as StoredRows[])[0]?.ids.filter((id) => id > 0)).toHaveLength(7);
    } finally {
      await thread.close();
    }
    const reader = new Database(path, { readonly: true });
    try {
      const n = (e: string) =>
        (reader.prepare("SELECT count(*) AS n FROM ticket_scans WHERE event_id = ?").get(e) as { n: number })
          .n;
      expect([n("t4"), n("t5")]).toEqual([6, 7]);
    } finally {
      reader.close();
    }
  });

  it("runs the groups that queued during a commit under the next one, each answered with its own outcomes", async () => {
    const path = join(dir, "queued.db");
    await (await betterSqliteStore({ path, writer: "inline" })).close(); // migrated
    const thread = startWriterThread(path);
    const uuidOf = (kinds: ReturnType<typeof scans>, i: number) => kinds[0]?.rows[i]?.[0];
    try {
      await thread.ready;
      // A long commit first; the groups sent behind it wait in the thread's port together.
      const big = stored(thread, scans("q0", 3000));
      // Groups 5 and 6 are large: with them the waiting groups hold more rows than one
      // commit takes, so some wait for the next.
      const groups = Array.from({ length: 6 }, (_, g) => scans(`q${g + 1}`, g < 4 ? g + 1 : 2500 + g));
      // Group 3 sends group 1's first record again (a duplicate across the merged groups),
      // and group 4 is a call that fails.
      groups[2]?.[0]?.rows.push(groups[0]?.[0]?.rows[0] as unknown[]);
      const sent = groups.map((g, i) =>
        i === 3
          ? thread.together([
              { op: "atomic", args: [[{ sql: "INSERT INTO no_such_table VALUES (1)", params: [] }]] },
            ])
          : thread.together([storeRows(g)]),
      );
      const answers = await Promise.all(sent);
      expect((await big)[0]?.ids.filter((id) => id > 0)).toHaveLength(3000);
      const ids = answers.map(([r]) => (r?.ok ? ((r.value as StoredRows[])[0]?.ids ?? null) : null));
      expect(ids.map((x) => x?.length ?? null)).toEqual([1, 2, 4, null, 2504, 2505]);
      expect(answers[3]?.[0]).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining("no such table") },
      });
      for (const own of ids)
        if (own) expect(own.slice(0, own.length === 4 ? 3 : own.length).every((id) => id > 0)).toBe(true);
      // The duplicate is answered with the id group 1 stored.
      expect(ids[2]?.[3]).toBe(-(ids[0]?.[0] as number));
      const reader = new Database(path, { readonly: true });
      try {
        const rows = reader
          .prepare("SELECT event_id, uuid, id FROM ticket_scans WHERE event_id <> 'q0' ORDER BY id")
          .all() as { event_id: string; uuid: string; id: number }[];
        // Every id a caller got is the row of its own record.
        const byId = new Map(rows.map((r) => [r.id, r]));
        groups.forEach((g, i) => {
          const own = ids[i];
          if (!own) return;
          own.forEach((id, j) => {
            if (id > 0) expect(byId.get(id)?.uuid).toBe(uuidOf(g, j));
          });
        });
        expect(rows).toHaveLength(1 + 2 + 3 + 2504 + 2505);
        const counted = reader
          .prepare("SELECT coalesce(sum(scan_count), 0) AS n FROM analytics_stats WHERE event_id <> 'q0'")
          .get() as { n: number };
        expect(counted.n).toBe(rows.length);
      } finally {
        reader.close();
      }
    } finally {
      await thread.close();
    }
  });
});
