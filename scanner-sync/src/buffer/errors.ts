// What the buffer refuses. Each error says what to fix; none of them loses a stored record.
import type { Issue } from "../wire.js";

/** A record that the server would refuse: it is not stored, and the device is told why. */
export class RecordRefused extends Error {
  constructor(readonly issues: Issue[]) {
    super(
      `record refused: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`,
    );
    this.name = "RecordRefused";
  }
}

export interface LineIssue extends Issue {
  line: number;
}

/** An import with bad lines stores nothing; every bad line is named. */
export class ImportRefused extends Error {
  constructor(readonly issues: LineIssue[]) {
    const lines = new Set(issues.map((i) => i.line)).size;
    super(`import refused, nothing stored: ${lines} bad line${lines === 1 ? "" : "s"}`);
    this.name = "ImportRefused";
  }
}

/** The database file cannot be used: missing, unreadable, not SQLite, or another scanner's. */
export class BufferUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BufferUnavailable";
  }
}

/** A settle that would confirm items that were not in the batch: nothing is changed. */
export class SettleRefused extends Error {
  constructor(detail: string) {
    super(`refusing to mark items done that were not sent: ${detail}`);
    this.name = "SettleRefused";
  }
}
