// The uploader's side of the buffer: the items above the watermark are pending. An item
// counts as done only in the transaction that records the server's 200 for it, which moves
// the watermark over it (and keeps the server's reasons for the ones it refused). A crash
// before that commit leaves it pending, and sending it again is harmless (the server
// dedupes by uuid).
import type { Issue, ItemKind } from "../wire.js";
import type { SqliteDatabase } from "./database.js";
import { DeadLetters } from "./dead-letters.js";
import { SettleRefused } from "./errors.js";
import { preparePurge } from "./retention.js";
import type { DeadLetter, PendingItem, Retention, SyncStatus } from "./types.js";
import { Watermark } from "./watermark.js";

export interface Rejected {
  seq: number;
  issues: Issue[];
}

/** Every statement the outbox runs, prepared once when the buffer is opened. */
function statements(db: SqliteDatabase) {
  return {
    // Rows as arrays: better-sqlite3 builds row objects key by key; mapping arrays to one
    // object shape costs less (~0.5 ms of the ~3 ms of reading a batch of 1000).
    pending: db
      .prepare(
        `SELECT seq, uuid, kind, item, recorded_at FROM items
         WHERE seq > max(@after, (SELECT uploaded_through FROM sync_state)) ORDER BY seq LIMIT @limit`,
      )
      .raw(),
    // count(*) of a whole index (items_seq) reads page headers only; the entries counted
    // one by one are those of batches in flight, between the watermark and `after`.
    backlog: db.prepare(
      `SELECT (SELECT count(*) FROM items) - s.answered_rows
                - (SELECT count(*) FROM items WHERE seq > s.uploaded_through AND seq <= @after) AS pending,
              (SELECT recorded_at FROM items WHERE seq > max(@after, s.uploaded_through)
               ORDER BY seq LIMIT 1) AS oldest_pending_at
       FROM sync_state s`,
    ),
    countBetween: db.prepare("SELECT count(*) FROM items WHERE seq > ? AND seq <= ?").pluck(),
    upload: db.prepare("INSERT INTO uploads (through_seq, uploaded_at) VALUES (?, ?)"),
    // Reasons of an earlier answer for items answered again now (left by a v1 file, whose
    // dead letters above the watermark are pending): this answer's rejections replace them.
    forgetReasons: db.prepare("DELETE FROM dead_letters WHERE seq > ? AND seq <= ?"),
    toDead: db.prepare(
      `INSERT INTO dead_letters (seq, issues, request_id, rejected_at)
       SELECT seq, @issues, @request_id, @at FROM items WHERE seq = @seq
       ON CONFLICT (seq) DO NOTHING`,
    ),
    synced: db.prepare("UPDATE sync_state SET last_sync_at = ?, last_error = NULL, last_error_at = NULL"),
    noteError: db.prepare("UPDATE sync_state SET last_error = ?, last_error_at = ?"),
    state: db.prepare("SELECT last_sync_at, last_error, last_error_at FROM sync_state"),
  };
}

export class Outbox {
  private readonly s: ReturnType<typeof statements>;
  private readonly mark: Watermark;
  private readonly dead: DeadLetters;
  private readonly purgeUploaded: (retention: Retention) => number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => Date,
  ) {
    this.s = statements(db);
    this.mark = new Watermark(db);
    this.dead = new DeadLetters(db, this.mark);
    this.purgeUploaded = preparePurge(db, this.mark, now);
  }

  /** The oldest pending items after `afterSeq` (a batch in flight), in the order they were recorded. */
  pending(limit: number, afterSeq = 0): PendingItem[] {
    const rows = this.s.pending.all({ after: afterSeq, limit }) as [
      number,
      string,
      ItemKind,
      string,
      string,
    ][];
    return rows.map(([seq, uuid, kind, json, recorded_at]) => ({ seq, uuid, kind, json, recorded_at }));
  }

  /** What waits, or what will still wait after the items up to `afterSeq` (batches in flight). */
  backlog(afterSeq = 0): { pending: number; oldest_pending_at: string | null } {
    const row = this.s.backlog.get({ after: afterSeq }) as
      | { pending: number; oldest_pending_at: string | null }
      | undefined;
    return row ?? { pending: 0, oldest_pending_at: null };
  }

  /**
   * The server answered 200 for `sent` (a run of consecutive pending items): the watermark
   * moves over them and the rejected ones keep the server's reasons, in one transaction.
   * A batch another uploader on this file has settled already changes nothing but its
   * dead letters (already there) and the time of the last sync.
   */
  settle(
    sent: PendingItem[],
    rejected: Rejected[],
    requestId: string | null,
  ): { uploaded: number; deadLettered: number } {
    const at = this.now().toISOString();
    const seqs = new Set(sent.map((i) => i.seq));
    let hi = 0;
    for (const seq of seqs) hi = Math.max(hi, seq);
    const refused = new Set(rejected.map((r) => r.seq).filter((seq) => seqs.has(seq)));
    return this.db
      .transaction(() => {
        const { through } = this.mark.read();
        let uploaded = 0;
        if (hi > through) {
          // Never confirm what was not sent: every item between the watermark and the
          // batch's end must be in the batch. Items above the watermark are never deleted,
          // so equal counts mean the same items.
          const waiting = this.s.countBetween.get(through, hi) as number;
          const above = [...seqs].filter((seq) => seq > through).length;
          if (waiting !== above) {
            throw new SettleRefused(
              `${waiting} items wait between seq ${through} and ${hi}, ${above} of them were sent`,
            );
          }
          this.s.forgetReasons.run(through, hi);
          this.mark.advance(hi, waiting);
          this.s.upload.run(hi, at);
          uploaded = waiting - [...refused].filter((seq) => seq > through).length;
        }
        let deadLettered = 0;
        for (const r of rejected) {
          if (!refused.has(r.seq)) continue;
          deadLettered += this.s.toDead.run({
            seq: r.seq,
            issues: JSON.stringify(r.issues),
            request_id: requestId,
            at,
          }).changes;
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
    return this.purgeUploaded(retention);
  }

  status(): SyncStatus {
    const state = this.s.state.get() as
      | { last_sync_at: string | null; last_error: string | null; last_error_at: string | null }
      | undefined;
    return {
      ...this.backlog(),
      last_sync_at: state?.last_sync_at ?? null,
      last_error:
        state?.last_error && state.last_error_at
          ? { at: state.last_error_at, message: state.last_error }
          : null,
      dead_letters: this.dead.count(),
    };
  }

  deadLetters(limit: number): DeadLetter[] {
    return this.dead.list(limit);
  }

  /** Dead letters (all, or those of `uuids`) back in the queue, sent again by the next sync. */
  requeue(uuids?: string[]): number {
    return this.dead.requeue(uuids);
  }
}
