// What the server refused, with its reasons: listed for a person to act on, and requeued
// once the cause is fixed (a device whose clock ran more than 24 h fast has every scan
// refused as "in the future" until the time is right again).
import type { ItemKind } from "../wire.js";
import type { SqliteDatabase } from "./database.js";
import type { DeadLetter } from "./types.js";
import type { Watermark } from "./watermark.js";

interface Stored {
  seq: number;
  uuid: string;
  kind: ItemKind;
  event_id: string | null;
  ticket_id: string | null;
  happened_at: string;
  item: string;
  recorded_at: string;
}

const STORED = `SELECT i.seq, i.uuid, i.kind, i.event_id, i.ticket_id, i.happened_at, i.item, i.recorded_at
  FROM dead_letters d JOIN items i ON i.seq = d.seq`;

function statements(db: SqliteDatabase) {
  return {
    count: db.prepare("SELECT count(*) FROM dead_letters").pluck(),
    list: db.prepare(
      `SELECT i.uuid, i.kind, i.item, d.issues, d.request_id, i.recorded_at, d.rejected_at
       FROM dead_letters d JOIN items i ON i.seq = d.seq ORDER BY d.rejected_at, d.seq LIMIT ?`,
    ),
    all: db.prepare(`${STORED} ORDER BY d.seq`),
    named: db.prepare(`${STORED} WHERE i.uuid IN (SELECT value FROM json_each(?)) ORDER BY d.seq`),
    forgetReasons: db.prepare("DELETE FROM dead_letters WHERE seq = ?"),
    deleteItem: db.prepare("DELETE FROM items WHERE seq = ?"),
    append: db.prepare(
      `INSERT INTO items (uuid, kind, event_id, ticket_id, happened_at, item, recorded_at)
       VALUES (@uuid, @kind, @event_id, @ticket_id, @happened_at, @item, @recorded_at)`,
    ),
  };
}

export class DeadLetters {
  private readonly s: ReturnType<typeof statements>;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly mark: Watermark,
  ) {
    this.s = statements(db);
  }

  count(): number {
    return this.s.count.get() as number;
  }

  list(limit: number): DeadLetter[] {
    const rows = this.s.list.all(limit) as (Omit<DeadLetter, "item" | "issues"> & {
      item: string;
      issues: string;
    })[];
    return rows.map((r) => ({ ...r, item: JSON.parse(r.item), issues: JSON.parse(r.issues) }));
  }

  /**
   * Puts dead letters (all, or those with these uuids) back in the queue: the same item
   * under a new seq above everything, so the next sync sends it again, after what waits
   * already. recorded_at is kept: it is still when the scan was recorded. Returns how many.
   */
  requeue(uuids?: string[]): number {
    return this.db
      .transaction(() => {
        const rows = (
          uuids === undefined
            ? this.s.all.all()
            : this.s.named.all(JSON.stringify(uuids.map((u) => u.toLowerCase())))
        ) as Stored[];
        const { through } = this.mark.read();
        let moved = 0;
        for (const { seq, ...item } of rows) {
          this.s.forgetReasons.run(seq);
          // Above the watermark (a v1 file's dead letter) it is pending already, in its place.
          if (seq > through) continue;
          this.s.deleteItem.run(seq);
          this.s.append.run(item);
          moved++;
        }
        this.mark.forget(moved);
        return rows.length;
      })
      .immediate();
  }
}
