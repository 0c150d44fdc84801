// The watermark (`sync_state.uploaded_through`) and the count of answered rows kept beside
// it (schema.ts says why), as every part of the buffer that reads or moves them sees them.
import type { SqliteDatabase } from "./database.js";

export interface Mark {
  /** Every item with seq <= this was answered by the server. */
  through: number;
  /** Rows of items with seq <= through. */
  answered: number;
}

export class Watermark {
  private readonly s: ReturnType<typeof statements>;

  constructor(db: SqliteDatabase) {
    this.s = statements(db);
  }

  /** Read inside the caller's transaction, so that nobody moves it in between. */
  read(): Mark {
    // No row before the scanner is bound: nothing is recorded yet either.
    return (this.s.read.get() as Mark | undefined) ?? { through: 0, answered: 0 };
  }

  /** The server answered every item up to `through`; `rows` of them are newly answered. */
  advance(through: number, rows: number): void {
    this.s.advance.run(through, rows);
  }

  /** `rows` answered rows were deleted (retention, requeue). */
  forget(rows: number): void {
    if (rows > 0) this.s.forget.run(rows);
  }
}

function statements(db: SqliteDatabase) {
  return {
    read: db.prepare("SELECT uploaded_through AS through, answered_rows AS answered FROM sync_state"),
    advance: db.prepare("UPDATE sync_state SET uploaded_through = ?, answered_rows = answered_rows + ?"),
    forget: db.prepare("UPDATE sync_state SET answered_rows = answered_rows - ?"),
  };
}
