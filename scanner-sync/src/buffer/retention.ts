// How long uploaded items stay on the device: only for "already scanned here?", bounded by
// age (when their batch was uploaded, from `uploads`) and by count. Pending items and dead
// letters are never purged.
import type { SqliteDatabase } from "./database.js";
import type { Retention } from "./types.js";
import type { Watermark } from "./watermark.js";

const NOT_DEAD = "NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.seq = items.seq)";

function statements(db: SqliteDatabase) {
  return {
    // Batches are settled in seq order, so a range uploaded before the cutoff means every
    // range below it was too, whatever the clock said at the time. Left to itself, SQLite
    // walks down from the newest batch to the first old one: through every batch it keeps.
    oldThrough: db
      .prepare("SELECT max(through_seq) FROM uploads INDEXED BY uploads_at WHERE uploaded_at < ?")
      .pluck(),
    deleteThrough: db.prepare(`DELETE FROM items WHERE seq <= ? AND ${NOT_DEAD}`),
    deadThrough: db.prepare("SELECT count(*) FROM dead_letters WHERE seq <= ?").pluck(),
    // Walks from the oldest: the rows it passes are the ones about to be deleted (and dead letters).
    nthKept: db
      .prepare(`SELECT seq FROM items WHERE seq <= @through AND ${NOT_DEAD} ORDER BY seq LIMIT 1 OFFSET @n`)
      .pluck(),
    dropUploads: db.prepare("DELETE FROM uploads WHERE through_seq < ?"),
  };
}

/** Returns purge(retention), on statements prepared once: how many items it deleted. */
export function preparePurge(db: SqliteDatabase, mark: Watermark, now: () => Date) {
  const s = statements(db);
  return (retention: Retention): number =>
    db
      .transaction(() => {
        const { through, answered } = mark.read();
        const cutoff = new Date(now().getTime() - retention.days * 86_400_000).toISOString();
        const old = Math.min(through, (s.oldThrough.get(cutoff) as number | null) ?? 0);
        let deleted = old > 0 ? s.deleteThrough.run(old).changes : 0;
        // answered counts every row up to the watermark: the uploaded ones are those not dead.
        const kept = answered - deleted - (s.deadThrough.get(through) as number);
        if (kept > retention.rows) {
          const cut = s.nthKept.get({ through, n: kept - retention.rows - 1 }) as number | undefined;
          if (cut !== undefined) deleted += s.deleteThrough.run(cut).changes;
        }
        if (deleted === 0) return 0;
        // An uploads row covers the items above the previous one: those wholly below the
        // oldest uploaded item kept cover nothing any more.
        const oldest = s.nthKept.get({ through, n: 0 }) as number | undefined;
        s.dropUploads.run(oldest ?? through + 1);
        mark.forget(deleted);
        return deleted;
      })
      .immediate();
}
