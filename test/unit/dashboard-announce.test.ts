// What the dashboard tells a screen reader of new alerts and quiet scanners
// (src/dashboard/announce.ts): at once for the rare ones a supervisor acts on, and at a
// big event's pace of double entries, once a minute together rather than every round.
import { describe, expect, it } from "vitest";
import { ALERTS_EVERY_MS, createChangeNotes } from "../../src/dashboard/announce.js";
import type { Alerts } from "../../src/dashboard/types.js";

const alerts = (double_entry: number, rest: Partial<Alerts["summary"]> = {}, high = 0): Alerts =>
  ({
    summary: { double_entry, transfer_chain: 0, invalid_burst: 0, ...rest },
    alerts: Array.from({ length: 8 }, (_, i) => ({ severity: i < high ? "high" : "low" })),
    next: null,
  }) as unknown as Alerts;

function notes() {
  const said: string[] = [];
  let now = 1_000_000;
  const note = createChangeNotes(
    (text) => said.push(text),
    () => now,
  );
  return { said, note, later: (ms: number) => (now += ms) };
}

describe("the dashboard's announcements", () => {
  it("says nothing of an event's first drawing, then the first new alert at once", () => {
    const { said, note, later } = notes();
    note("E", alerts(5), []);
    expect(said).toEqual([]);
    later(5_000);
    note("E", alerts(6, {}, 1), []);
    expect(said).toEqual(["New alert: 1 double entry (1 high)."]);
  });

  it("says double entries arriving every round once a minute, all of them together", () => {
    const { said, note, later } = notes();
    note("E", alerts(0), []);
    let n = 0;
    for (let round = 0; round < 25; round++) {
      later(5_000);
      n += 2;
      note("E", alerts(n), []);
    }
    // Two minutes of rounds: the first at once, then one a minute, each counting all since.
    expect(said).toEqual([
      "New alerts: 2 double entries.",
      "New alerts: 24 double entries.",
      "New alerts: 24 double entries.",
    ]);
    later(ALERTS_EVERY_MS);
    note("E", alerts(n), []);
    expect(said).toHaveLength(3); // nothing new: nothing said
  });

  it("says an invalid burst or a transfer chain at once, with the double entries held till then", () => {
    const { said, note, later } = notes();
    note("E", alerts(0), []);
    later(5_000);
    note("E", alerts(1), []);
    later(5_000);
    note("E", alerts(3), []);
    later(5_000);
    note("E", alerts(4, { invalid_burst: 1 }), []);
    later(5_000);
    note("E", alerts(4, { invalid_burst: 1, transfer_chain: 1 }), []);
    expect(said).toEqual([
      "New alert: 1 double entry.",
      "New alerts: 3 double entries, 1 invalid burst.",
      "New alert: 1 transfer chain.",
    ]);
  });

  it("says a scanner gone quiet at once, once, and again only after it came back", () => {
    const { said, note, later } = notes();
    note("E", alerts(0), []);
    for (const quiet of [["gate-1"], ["gate-1"], [], ["gate-1", "gate-2"]]) {
      later(5_000);
      note("E", alerts(0), quiet);
    }
    expect(said).toEqual(["gate-1 has gone quiet.", "gate-1, gate-2 have gone quiet."]);
  });

  it("says how many are high only when the list holds every new one: all kinds listed, no more new than it shows", () => {
    const { said, note, later } = notes();
    note("E", alerts(0), []);
    later(ALERTS_EVERY_MS);
    note("E", alerts(2, {}, 8), [], false); // the list is of another kind picked
    later(ALERTS_EVERY_MS);
    note("E", alerts(12, {}, 8), []); // 10 new, 8 listed
    later(ALERTS_EVERY_MS);
    note("E", alerts(14, {}, 1), []);
    expect(said).toEqual([
      "New alerts: 2 double entries.",
      "New alerts: 10 double entries.",
      "New alerts: 2 double entries (1 high).",
    ]);
  });

  it("starts afresh on another event", () => {
    const { said, note, later } = notes();
    note("E", alerts(0), []);
    later(5_000);
    note("F", alerts(40), ["gate-9"]);
    expect(said).toEqual([]);
  });
});
