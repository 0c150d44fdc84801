// The upgrade to the entry flow, the transfer aggregates and the signals: a database filled
// under the previous schema (migrations 0000-0001, records stored before the aggregates
// existed), then opened by this code, whose migrations 0002, 0003 and 0004 backfill them.
// Every figure and every alert must equal the recomputation from the raw rows, and stay so
// as new records (older scans among them) arrive after the upgrade.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createAnalytics } from "../../src/analytics.js";
import type { AlertThresholds } from "../../src/signals/alerts.js";
import { migrationsFolder } from "../../src/store/migrations.js";
import { nodePgStore } from "../../src/store/pg/node-pg.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import type { Store, TransferRow } from "../../src/store/types.js";
import {
  type RawDatabase,
  recomputeAttendance,
  recomputeGateScanners,
  recomputeTimeline,
} from "../support/entry-flow-recompute.js";
import { BASE, byGateAndScanner, generate, type Item, scannerRows } from "../support/entry-flow-records.js";
import { createTestDatabase } from "../support/pg.js";
import { pgClientDatabase, sqliteFileDatabase } from "../support/raw-database.js";
import { attemptRow, batch, scanRow, transferRow } from "../support/records.js";
import { recomputeTransferSummary } from "../support/signals-recompute.js";
import {
  type AlertTarget,
  anchorMinute,
  DEFAULTS,
  expectRecomputed,
  signalRecords,
  THRESHOLDS,
} from "./store-contract/alerts.js";

/** The migrations as they were before the entry flow: the first `count`, in a folder of their own. */
function previousMigrations(dialect: "pg" | "sqlite", count: number): string {
  const dir = mkdtempSync(join(tmpdir(), `veritix-migrations-${dialect}-`));
  cpSync(migrationsFolder(dialect), dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

const MINUTE = 60_000;

const SCAN_COLUMNS = [
  "uuid",
  "ticket_id",
  "event_id",
  "scanner_id",
  "scan_timestamp",
  "is_valid",
  "location",
];
const ATTEMPT_COLUMNS = [
  "uuid",
  "attempt_type",
  "reason",
  "ticket_id",
  "event_id",
  "attempt_timestamp",
  "ip_address",
];
const TRANSFER_COLUMNS = [
  "uuid",
  "ticket_id",
  "event_id",
  "from_user_id",
  "to_user_id",
  "transfer_timestamp",
  "transfer_reason",
  "is_successful",
];

/** The transfers' counters as the previous code kept them in analytics_stats (per event and UTC day). */
const transferStats = (day: string, ok: string) =>
  "INSERT INTO analytics_stats (event_id, stat_date, transfer_count, successful_transfer_count, failed_transfer_count) " +
  `SELECT event_id, ${day}, count(*), sum(CASE WHEN ${ok} THEN 1 ELSE 0 END), sum(CASE WHEN ${ok} THEN 0 ELSE 1 END) ` +
  "FROM ticket_transfers GROUP BY 1, 2";

/** Transfers of the events, stored before the transfer aggregates existed. */
const oldTransfers = (events: string[]): TransferRow[] =>
  events.flatMap((event_id, e) =>
    Array.from({ length: 12 }, (_, i) =>
      transferRow({
        event_id,
        ticket_id: `T${i % 5}`,
        transfer_timestamp: new Date(BASE - (i + e) * 7_200_000),
        transfer_reason: [null, "", "gift", "resale"][i % 4] ?? null,
        is_successful: i % 3 !== 0,
      }),
    ),
  );

/** The records as plain INSERTs into the old tables: what the previous code left behind. */
function rowsOf(items: Item[], transfers: TransferRow[], encode: (v: unknown) => unknown) {
  const row = (table: string, columns: string[], r: object) => ({
    table,
    columns,
    values: columns.map((c) => encode((r as Record<string, unknown>)[c] ?? null)),
  });
  return [
    ...items.map((item) =>
      item.kind === "scan"
        ? row("ticket_scans", SCAN_COLUMNS, item.row)
        : row("invalid_attempts", ATTEMPT_COLUMNS, item.row),
    ),
    ...transfers.map((t) => row("ticket_transfers", TRANSFER_COLUMNS, t)),
  ];
}

interface Upgraded extends RawDatabase {
  store: Store;
  cleanup(): Promise<void>;
}

/**
 * The old scans' receive times, when asked: 0, 45 or 90 s after their own (by id), so some
 * were offline and some not (left alone, they are the time of the INSERT: all late).
 */
const RECEIVED_LATE = {
  sqlite: "UPDATE ticket_scans SET received_at = scan_timestamp + (id % 3) * 45000",
  pg: "UPDATE ticket_scans SET received_at = scan_timestamp + (id % 3) * interval '45 seconds'",
};

async function upgradedSqlite(items: Item[], transfers: TransferRow[], late = false): Promise<Upgraded> {
  const dir = mkdtempSync(join(tmpdir(), "veritix-upgrade-"));
  const path = join(dir, "old.db");
  const old = new Database(path);
  const previous = previousMigrations("sqlite", 2);
  migrateSqlite(drizzleSqlite({ client: old }), { migrationsFolder: previous });
  const encode = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === "boolean" ? Number(v) : v);
  old.transaction(() => {
    for (const r of rowsOf(items, transfers, encode)) {
      old
        .prepare(
          `INSERT INTO ${r.table} (${r.columns.join(", ")}) VALUES (${r.columns.map(() => "?").join(", ")})`,
        )
        .run(r.values);
    }
    old.exec(
      transferStats("strftime('%Y-%m-%d', transfer_timestamp / 1000, 'unixepoch')", "is_successful = 1"),
    );
    if (late) old.exec(RECEIVED_LATE.sqlite);
  })();
  old.close();
  const store = await betterSqliteStore({ path });
  return {
    store,
    ...sqliteFileDatabase(path),
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(previous, { recursive: true, force: true });
    },
  };
}

async function upgradedPg(items: Item[], transfers: TransferRow[], late = false): Promise<Upgraded> {
  const database = await createTestDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const previous = previousMigrations("pg", 2);
  await migratePg(drizzlePg({ client }), { migrationsFolder: previous });
  for (const r of rowsOf(items, transfers, (v) => v)) {
    await client.query(
      `INSERT INTO ${r.table} (${r.columns.join(", ")}) VALUES (${r.columns.map((_, i) => `$${i + 1}`).join(", ")})`,
      r.values,
    );
  }
  await client.query(transferStats("(transfer_timestamp AT TIME ZONE 'UTC')::date", "is_successful"));
  if (late) await client.query(RECEIVED_LATE.pg);
  const store = await nodePgStore({ url: database.url });
  return {
    store,
    ...pgClientDatabase(client),
    async cleanup() {
      await store.close();
      await client.end();
      await database.drop();
      rmSync(previous, { recursive: true, force: true });
    },
  };
}

async function expectExact(u: Upgraded, eventId: string, now: number) {
  const analytics = createAnalytics(u.store);
  const { event_id, last_updated, ...attendance } = await analytics.attendance(eventId);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  expect({
    ...attendance,
    first_entry_at: iso(attendance.first_entry_at),
    last_entry_at: iso(attendance.last_entry_at),
    peak: attendance.peak && { minute: iso(attendance.peak.minute), entries: attendance.peak.entries },
  }).toEqual(await recomputeAttendance(u.dialect, u.query, eventId));

  const timeline = await analytics.timeline({ event_id: eventId, bucket: "15m" });
  const want = await recomputeTimeline(u.dialect, u.query, eventId, 900_000);
  const nonzero = timeline.points
    .filter((p) => p.entries || p.valid_scans || p.invalid_scans || p.invalid_attempts)
    .map(({ t, ...p }) => [t, p]);
  expect(Object.fromEntries(nonzero)).toEqual(Object.fromEntries(want.points));

  const gates = await analytics.gates(eventId, new Date(now));
  const recomputed = await recomputeGateScanners(u.dialect, u.query, eventId, now);
  expect(byGateAndScanner(scannerRows(gates))).toEqual(
    byGateAndScanner(recomputed.map(({ entries_last_15_min, ...s }) => s)),
  );

  expect(await analytics.transferSummary(eventId)).toEqual({
    event_id: eventId,
    ...(await recomputeTransferSummary(u.dialect, u.query, eventId)),
  });

  await expectAlerts(u, eventId, [DEFAULTS, THRESHOLDS[1] as AlertThresholds]);
}

/** Every page of the event's alerts (all, and of each kind) equals the recomputation, at each of the thresholds. */
async function expectAlerts(u: Upgraded, eventId: string, thresholds: AlertThresholds[]) {
  const target: AlertTarget = { store: u.store, raw: u };
  const answers = [];
  for (const th of thresholds) answers.push(await expectRecomputed(target, eventId, th));
  return answers;
}

describe.each([
  { name: "SQLite", open: upgradedSqlite },
  { name: "Postgres", open: upgradedPg },
])("upgrade to the entry flow, the transfer aggregates and the signals on $name", ({ open }) => {
  const opened: Upgraded[] = [];
  afterAll(async () => {
    for (const u of opened) await u.cleanup();
  });

  it("backfills the aggregates of the records already stored, then keeps them exact as records arrive", async () => {
    const [e1, e2] = ["upgrade-1", "upgrade-2"];
    const items = [...generate(21, e1, "0c0c0c0c"), ...generate(22, e2, "0d0d0d0d")];
    const u = await open(items, oldTransfers([e1, e2]));
    opened.push(u);
    const now = BASE + 80 * 60_000;
    expect((await createAnalytics(u.store).attendance(e1)).admitted_count).toBeGreaterThan(0);
    expect((await createAnalytics(u.store).transferSummary(e1)).by_reason).toHaveLength(4);
    await expectExact(u, e1, now);
    await expectExact(u, e2, now);

    // After the upgrade: more scans, some older than the backfilled first entries.
    const later = [
      scanRow({
        event_id: e1,
        ticket_id: "T1",
        scan_timestamp: new Date(BASE - 60_000),
        location: "West",
        scanner_id: "w1",
      }),
      scanRow({
        event_id: e1,
        ticket_id: "T2",
        scan_timestamp: new Date(BASE + 30 * 60_000),
        location: "North",
        scanner_id: "s1",
      }),
      scanRow({
        event_id: e1,
        ticket_id: "T-new",
        scan_timestamp: new Date(BASE + 79 * 60_000),
        location: "North",
        scanner_id: "s1",
      }),
    ];
    await u.store.insert(
      batch({
        scans: later,
        transfers: [transferRow({ event_id: e1, ticket_id: "T9", transfer_reason: null })],
      }),
    );
    await expectExact(u, e1, now);
  });
  it("backfills the signal aggregates of the records already stored: every alert equals the recomputation, then stays so as records arrive", async () => {
    const e = "upgrade-signals";
    const now = Date.now();
    const m = anchorMinute(now);
    const recs = signalRecords(5, e, now);
    const items: Item[] = recs.flatMap((r): Item[] =>
      r.kind === "scans"
        ? [{ kind: "scan", row: r.row }]
        : r.kind === "invalidAttempts"
          ? [{ kind: "attempt", row: r.row }]
          : [],
    );
    const transfers = recs.flatMap((r) => (r.kind === "transfers" ? [r.row] : []));
    const u = await open(items, transfers, true);
    opened.push(u);
    const [want] = await expectAlerts(u, e, THRESHOLDS);
    // What was checked was there: every kind; scans received late and not; chains and bursts.
    expect(Object.values(want?.summary ?? {}).every((n) => n > 0)).toBe(true);
    const doubles = want?.alerts.filter((a) => a.kind === "double_entry") ?? [];
    expect(new Set(doubles.map((a) => a.offline))).toEqual(new Set([true, false]));
    expect(new Set(doubles.map((a) => a.severity))).toEqual(new Set(["high", "medium", "low"]));

    // After the upgrade, records that change what the backfill wrote: a scan older than a
    // double entry's first, one between another's first and second; transfers inside a chain
    // and making a quick pair of one that was none; the tenth attempt of a minute of nine.
    const [d1, d2] = doubles as { ticket_id: string; first: { scan_timestamp: string } }[];
    if (!d1 || !d2) throw new Error("the records have two double entries at least");
    const t = (a: typeof d1) => new Date(a.first.scan_timestamp).getTime();
    await u.store.insert(
      batch({
        scans: [
          scanRow({
            event_id: e,
            ticket_id: d1.ticket_id,
            scan_timestamp: new Date(t(d1) - MINUTE),
            scanner_id: "late",
          }),
          scanRow({
            event_id: e,
            ticket_id: d2.ticket_id,
            scan_timestamp: new Date(t(d2) + 1),
            location: "West",
          }),
        ],
        transfers: [
          transferRow({
            event_id: e,
            ticket_id: "Y3",
            transfer_timestamp: new Date(m - 90 * MINUTE),
            to_user_id: "mid",
          }),
          transferRow({
            event_id: e,
            ticket_id: "Y2-late",
            transfer_timestamp: new Date(m + 600_000),
            to_user_id: "quick",
          }),
          transferRow({
            event_id: e,
            ticket_id: "X0",
            transfer_timestamp: new Date(m),
            is_successful: false,
          }),
        ],
        invalidAttempts: [
          attemptRow({
            event_id: e,
            ip_address: "edge",
            ticket_id: null,
            attempt_timestamp: new Date(m - 30_000),
          }),
        ],
      }),
    );
    const [after] = await expectAlerts(u, e, THRESHOLDS);
    expect(after?.summary.transfer_chain).toBe((want?.summary.transfer_chain ?? 0) + 1);
    expect(after?.summary.invalid_burst).toBe((want?.summary.invalid_burst ?? 0) + 1);
  }, 120_000);
});
