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

export class Outbox {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => Date,
  ) {}

  /** The oldest pending items, in the order they were recorded. */
  pending(limit: number): PendingItem[] {
    return this.db
      .prepare("SELECT seq, uuid, kind, item AS json, recorded_at FROM outbox ORDER BY seq LIMIT ?")
      .all(limit) as PendingItem[];
  }

  /** What waits, or what will still wait after the items up to `afterSeq` (a batch in flight). */
  backlog(afterSeq = 0): { pending: number; oldest_pending_at: string | null } {
    const { pending } = this.db
      .prepare("SELECT count(*) AS pending FROM outbox WHERE seq > ?")
      .get(afterSeq) as { pending: number };
    const oldest = this.db
      .prepare("SELECT recorded_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1")
      .get(afterSeq) as { recorded_at: string } | undefined;
    return { pending, oldest_pending_at: oldest?.recorded_at ?? null };
  }

  /** The server answered 200 for `sent`: confirm them all, dead-letter the rejected ones. */
  settle(
    sent: PendingItem[],
    rejected: Rejected[],
    requestId: string | null,
  ): { uploaded: number; deadLettered: number } {
    const at = this.now().toISOString();
    const refused = new Set(rejected.map((r) => r.seq));
    const confirmed = sent.filter((i) => !refused.has(i.seq)).map((i) => i.seq);
    return this.db
      .transaction(() => {
        let deadLettered = 0;
        const toDead = this.db.prepare(
          `INSERT OR REPLACE INTO dead_letters (${COLUMNS}, issues, request_id, rejected_at)
           SELECT ${COLUMNS}, @issues, @request_id, @at FROM outbox WHERE seq = @seq`,
        );
        for (const r of rejected) {
          deadLettered += toDead.run({
            seq: r.seq,
            issues: JSON.stringify(r.issues),
            request_id: requestId,
            at,
          }).changes;
        }
        const seqs = JSON.stringify([...confirmed]);
        const { changes: uploaded } = this.db
          .prepare(
            `INSERT OR REPLACE INTO uploaded (${COLUMNS}, uploaded_at)
             SELECT ${COLUMNS}, @at FROM outbox WHERE seq IN (SELECT value FROM json_each(@seqs))`,
          )
          .run({ seqs, at });
        this.db
          .prepare("DELETE FROM outbox WHERE seq IN (SELECT value FROM json_each(@all))")
          .run({ all: JSON.stringify(sent.map((i) => i.seq)) });
        this.db
          .prepare("UPDATE sync_state SET last_sync_at = ?, last_error = NULL, last_error_at = NULL")
          .run(at);
        return { uploaded, deadLettered };
      })
      .immediate();
  }

  noteError(message: string): void {
    this.db
      .prepare("UPDATE sync_state SET last_error = ?, last_error_at = ?")
      .run(message, this.now().toISOString());
  }

  /** Uploaded items are kept only for "already scanned here?"; bounded by age and count. */
  purge(retention: Retention): number {
    const cutoff = new Date(this.now().getTime() - retention.days * 86_400_000).toISOString();
    return this.db
      .transaction(() => {
        const old = this.db.prepare("DELETE FROM uploaded WHERE uploaded_at < ?").run(cutoff).changes;
        const beyond = this.db
          .prepare(
            `DELETE FROM uploaded WHERE seq <= (SELECT seq FROM uploaded ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
          )
          .run(retention.rows).changes;
        return old + beyond;
      })
      .immediate();
  }

  status(): SyncStatus {
    const state = this.db.prepare("SELECT last_sync_at, last_error, last_error_at FROM sync_state").get() as
      | { last_sync_at: string | null; last_error: string | null; last_error_at: string | null }
      | undefined;
    const { n } = this.db.prepare("SELECT count(*) AS n FROM dead_letters").get() as { n: number };
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
    const rows = this.db
      .prepare(
        `SELECT uuid, kind, item, issues, request_id, recorded_at, rejected_at
         FROM dead_letters ORDER BY rejected_at, seq LIMIT ?`,
      )
      .all(limit) as (Omit<DeadLetter, "item" | "issues"> & { item: string; issues: string })[];
    return rows.map((r) => ({ ...r, item: JSON.parse(r.item), issues: JSON.parse(r.issues) }));
  }
}
