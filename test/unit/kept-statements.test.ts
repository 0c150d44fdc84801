// The main SQLite connection keeps compiled statements by their text
// (keepPreparedStatements): the same one again, back in object mode, never one in use.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { keepPreparedStatements } from "../../src/store/sqlite/embedded/connection.js";

describe("keepPreparedStatements", () => {
  it("answers the statement compiled before for a text, in object mode, and a new one while it is busy", () => {
    const db = new Database(":memory:");
    keepPreparedStatements(db);
    db.prepare("CREATE TABLE t (a INTEGER, b TEXT)").run();
    db.prepare("INSERT INTO t VALUES (?, ?)").run(1, "x");
    const insert = db.prepare("INSERT INTO t VALUES (?, ?)");
    expect(db.prepare("INSERT INTO t VALUES (?, ?)")).toBe(insert);
    insert.run(2, "y");

    const select = db.prepare("SELECT a, b FROM t ORDER BY a");
    expect(select.raw().all()).toEqual([
      [1, "x"],
      [2, "y"],
    ]);
    // Raw mode left on by the last caller: the next one gets rows as objects again.
    const again = db.prepare("SELECT a, b FROM t ORDER BY a");
    expect(again).toBe(select);
    expect(again.all()).toEqual([
      { a: 1, b: "x" },
      { a: 2, b: "y" },
    ]);

    // While an iteration holds it, the same text gets a statement of its own.
    const rows = select.iterate();
    rows.next();
    const other = db.prepare("SELECT a, b FROM t ORDER BY a");
    expect(other).not.toBe(select);
    expect(other.get()).toEqual({ a: 1, b: "x" });
    rows.return?.();
    expect(db.prepare("SELECT a, b FROM t ORDER BY a")).toBe(select);
    db.close();
  });
});
