// The uploader's side of the buffer. An item leaves the outbox only in the transaction
// that records the server's 200 for it: to `uploaded` when stored (or already stored),
// to `dead_letters` with the server's reasons when refused. A crash before that commit
// leaves it pending, and sending it again is harmless (the server dedupes by uuid).
import type { Issue } from "../wire.js";
import type { SqliteDatabase } from "./database.js";
import type { DeadLetter, PendingItem, Retention, SyncStatus } from "./types.js";

const COLUMNS = "seq, uuid, kind, event_id, ticket_id, happened_at, item, recorded_at";

export interface Rejected {
  seq: number;
  issues: Issue[];
}

/** Every statement the outbox runs, prepared once when the buffer is opened. */
function statements(db: SqliteDatabase) {
  return {
    pending: db.prepare(
      "SELECT seq, uuid, kind, item AS json, recorded_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
    ),
    // count(*) of the whole table is a quick count of the smallest index's entries, and the
    // rows up to `seq` (those of batches in flight) are few, found from the primary key's
    // small end; `WHERE seq > ?` would read every pending row.
    backlog: db.prepare(
      `SELECT (SELECT count(*) FROM outbox) - (SELECT count(*) FROM outbox WHERE seq <= @seq) AS pending,
              (SELECT recorded_at FROM outbox WHERE seq > @seq ORDER BY seq LIMIT 1) AS oldest_pending_at`,
    ),
    seqsBetween: db.prepare("SELECT seq FROM outbox WHERE seq BETWEEN ? AND ?").pluck(),
    toDead: db.prepare(
      `INSERT OR REPLACE INTO dead_letters (${COLUMNS}, issues, request_id, rejected_at)
       SELECT ${COLUMNS}, @issues, @request_id, @at FROM outbox WHERE seq = @seq`,
    ),
    deleteOne: db.prepare("DELETE FROM outbox WHERE seq = ?"),
    uploadRange: db.prepare(
      `INSERT OR REPLACE INTO uploaded (${COLUMNS}, uploaded_at)
       SELECT ${COLUMNS}, @at FROM outbox WHERE seq BETWEEN @lo AND @hi`,
    ),
    deleteRange: db.prepare("DELETE FROM outbox WHERE seq BETWEEN ? AND ?"),
    uploadListed: db.prepare(
      `INSERT OR REPLACE INTO uploaded (${COLUMNS}, uploaded_at)
       SELECT ${COLUMNS}, @at FROM outbox WHERE seq IN (SELECT value FROM json_each(@seqs))`,
    ),
    deleteListed: db.prepare("DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(?))"),
    synced: db.prepare("UPDATE sync_state SET last_sync_at = ?, last_error = NULL, last_error_at = NULL"),
    noteError: db.prepare("UPDATE sync_state SET last_error = ?, last_error_at = ?"),
    purgeOld: db.prepare("DELETE FROM uploaded WHERE uploaded_at < ?"),
    purgeBeyond: db.prepare(
      "DELETE FROM uploaded WHERE seq <= (SELECT seq FROM uploaded ORDER BY seq DESC LIMIT 1 OFFSET ?)",
    ),
    state: db.prepare("SELECT last_sync_at, last_error, last_error_at FROM sync_state"),
    deadCount: db.prepare("SELECT count(*) AS n FROM dead_letters"),
    deadLetters: db.prepare(
      `SELECT uuid, kind, item, issues, request_id, recorded_at, rejected_at
       FROM dead_letters ORDER BY rejected_at, seq LIMIT ?`,
    ),
  };
}

export class Outbox {
  private readonly s: ReturnType<typeof statements>;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => Date,
  ) {
    this.s = statements(db);
  }

  /** The oldest pending items after `afterSeq` (a batch in flight), in the order they were recorded. */
  pending(limit: number, afterSeq = 0): PendingItem[] {
    return this.s.pending.all(afterSeq, limit) as PendingItem[];
  }

  /** What waits, or what will still wait after the items up to `afterSeq` (batches in flight). */
  backlog(afterSeq = 0): { pending: number; oldest_pending_at: string | null } {
    return this.s.backlog.get({ seq: afterSeq }) as { pending: number; oldest_pending_at: string | null };
  }

  /** The server answered 200 for `sent`: confirm them all, dead-letter the rejected ones. */
  settle(
    sent: PendingItem[],
    rejected: Rejected[],
    requestId: string | null,
  ): { uploaded: number; deadLettered: number } {
    const at = this.now().toISOString();
    const seqs = new Set(sent.map((i) => i.seq));
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const seq of seqs) {
      lo = Math.min(lo, seq);
      hi = Math.max(hi, seq);
    }
    return this.db
      .transaction(() => {
        let deadLettered = 0;
        for (const r of rejected) {
          if (!seqs.has(r.seq)) continue;
          deadLettered += this.s.toDead.run({
            seq: r.seq,
            issues: JSON.stringify(r.issues),
            request_id: requestId,
            at,
          }).changes;
          this.s.deleteOne.run(r.seq);
        }
        let uploaded = 0;
        if (seqs.size > 0) {
          // A batch is a run of consecutive outbox rows, and a row never appears inside a
          // range later (seq only grows), so the range is the batch: moved with two range
          // statements. Checked here, as no item is ever confirmed that was not sent.
          const inRange = this.s.seqsBetween.all(lo, hi) as number[];
          if (inRange.every((seq) => seqs.has(seq))) {
            uploaded = this.s.uploadRange.run({ at, lo, hi }).changes;
            this.s.deleteRange.run(lo, hi);
          } else {
            const listed = JSON.stringify([...seqs]);
            uploaded = this.s.uploadListed.run({ seqs: listed, at }).changes;
            this.s.deleteListed.run(listed);
          }
        }
        this.s.synced.run(at);
        return { uploaded, deadLettered };
      })
      .immediate();
  }

  noteError(message: string): void {
    this.s.noteError.run(message, this.now().toISOString());
  }

  /** Uploaded items are kept only for "already scanned here?"; bounded by age and count. */
  purge(retention: Retention): number {
    const cutoff = new Date(this.now().getTime() - retention.days * 86_400_000).toISOString();
    return this.db
      .transaction(() => this.s.purgeOld.run(cutoff).changes + this.s.purgeBeyond.run(retention.rows).changes)
      .immediate();
  }

  status(): SyncStatus {
    const state = this.s.state.get() as
      | { last_sync_at: string | null; last_error: string | null; last_error_at: string | null }
      | undefined;
    const { n } = this.s.deadCount.get() as { n: number };
    return {
      ...this.backlog(),
      last_sync_at: state?.last_sync_at ?? null,
      last_error:
        state?.last_error && state.last_error_at
          ? { at: state.last_error_at, message: state.last_error }
          : null,
      dead_letters: n,
    };
  }

  deadLetters(limit: number): DeadLetter[] {
    const rows = this.s.deadLetters.all(limit) as (Omit<DeadLetter, "item" | "issues"> & {
      item: string;
      issues: string;
    })[];
    return rows.map((r) => ({ ...r, item: JSON.parse(r.item), issues: JSON.parse(r.issues) }));
  }
}
