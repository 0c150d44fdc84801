// The store contract, export pages (recordsPage): an event's records oldest first by their
// own time, ties by id, read page after page by the keyset cursor, within a time window.
import { expect, it } from "vitest";
import type { PageFilter, StoredRecords } from "../../../src/store/types.js";
import { attemptRow, batch, scanRow, transferRow } from "../../support/records.js";
import { at, type ContractContext, freshEvent } from "./context.js";

type Kind = keyof StoredRecords;
const TIME = {
  scans: "scan_timestamp",
  transfers: "transfer_timestamp",
  invalidAttempts: "attempt_timestamp",
} as const;

/** Every page of `kind` until a short one, as the export reads them; and the number of reads. */
async function readAll<K extends Kind>(c: ContractContext, kind: K, f: Omit<PageFilter, "after">) {
  const rows: StoredRecords[K][] = [];
  let after: PageFilter["after"];
  for (let reads = 1; ; reads++) {
    const page = await c.store.recordsPage(kind, { ...f, after });
    rows.push(...page);
    const last = page.at(-1) as (StoredRecords[K] & Record<string, unknown>) | undefined;
    if (page.length < f.limit || !last) return { rows, reads };
    after = { time: last[TIME[kind]] as Date, id: last.id };
  }
}

/** Registers the export page tests; `c` is the contract's store on a migrated database. */
export function pages(c: ContractContext) {
  it("pages an event's records oldest first by their own time, ties by id, across page boundaries", async () => {
    const e = freshEvent();
    // Inserted out of time order; three share one time, so a page boundary falls inside the tie.
    const times = [
      "2024-01-15T12:00:00.000Z",
      "2024-01-15T10:00:00.000Z",
      "2024-01-15T11:00:00.000Z",
      "2024-01-15T11:00:00.000Z",
      "2024-01-15T09:59:59.999Z",
      "2024-01-15T11:00:00.000Z",
      "2024-01-16T00:00:00.000Z",
    ];
    await c.store.insert(
      batch({
        scans: times.map((iso, i) => scanRow({ event_id: e, ticket_id: `t${i}`, scan_timestamp: at(iso) })),
      }),
    );
    await c.store.insert(
      batch({ scans: [scanRow({ event_id: freshEvent(), scan_timestamp: at(times[0] as string) })] }),
    );
    const listed = await c.store.listScans({ event_id: e, limit: 50 });
    const oldestFirst = [...listed].reverse();
    expect(oldestFirst.map((s) => s.ticket_id)).toEqual(["t4", "t1", "t2", "t3", "t5", "t0", "t6"]);
    for (const limit of [1, 2, 3, 7, 50]) {
      const { rows, reads } = await readAll(c, "scans", { event_id: e, limit });
      // Whole records, exactly as the listing answers them.
      expect({ limit, rows }).toEqual({ limit, rows: oldestFirst });
      expect({ limit, reads }).toEqual({ limit, reads: Math.floor(times.length / limit) + 1 });
    }
  });

  it("bounds a page by the records' own time: from inclusive, to exclusive, the cursor within", async () => {
    const e = freshEvent();
    const times = [
      "2024-02-01T08:00:00Z",
      "2024-02-01T09:00:00Z",
      "2024-02-01T09:00:00Z",
      "2024-02-01T10:00:00Z",
    ];
    await c.store.insert(
      batch({
        scans: times.map((iso, i) => scanRow({ event_id: e, ticket_id: `t${i}`, scan_timestamp: at(iso) })),
      }),
    );
    const window = { event_id: e, from: at("2024-02-01T09:00:00Z"), to: at("2024-02-01T10:00:00Z") };
    const { rows } = await readAll(c, "scans", { ...window, limit: 1 });
    expect(rows.map((s) => s.ticket_id)).toEqual(["t1", "t2"]);
    expect(
      (await readAll(c, "scans", { event_id: e, from: at("2024-02-01T09:30:00Z"), limit: 5 })).rows,
    ).toHaveLength(1);
    expect(
      (await readAll(c, "scans", { event_id: e, to: at("2024-02-01T08:00:00Z"), limit: 5 })).rows,
    ).toEqual([]);
    expect(await c.store.recordsPage("scans", { event_id: "no-such-event", limit: 5 })).toEqual([]);
  });

  it("pages transfers and invalid attempts the same way, each by its own time", async () => {
    const e = freshEvent();
    const t = (i: number) => at(`2024-03-01T1${i}:00:00Z`);
    await c.store.insert(
      batch({
        transfers: [2, 0, 1].map((i) =>
          transferRow({ event_id: e, ticket_id: `t${i}`, transfer_timestamp: t(i) }),
        ),
        invalidAttempts: [1, 2, 0].map((i) =>
          attemptRow({ event_id: e, ticket_id: `a${i}`, attempt_timestamp: t(i) }),
        ),
      }),
    );
    const transfers = await readAll(c, "transfers", { event_id: e, limit: 2 });
    expect(transfers.rows.map((r) => r.ticket_id)).toEqual(["t0", "t1", "t2"]);
    expect(transfers.rows).toEqual((await c.store.listTransfers({ event_id: e, limit: 10 })).reverse());
    const attempts = await readAll(c, "invalidAttempts", { event_id: e, from: t(1), limit: 1 });
    expect(attempts.rows.map((r) => r.ticket_id)).toEqual(["a1", "a2"]);
  });
}
