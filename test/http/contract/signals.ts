// The HTTP contract, the revenue team's transfer summary (DESIGN.md, "Signals"): what
// GET /stats/transfers/summary answers equals a plain SQL recomputation from the target's
// own database, whatever order the transfers came in, with replays and concurrent posts.
import { uuidv7 } from "uuidv7";
import { expect, it } from "vitest";
import { freshId, json } from "../../support/api.js";
import { pick, random, shuffle } from "../../support/entry-flow-records.js";
import { SPEC } from "../../support/records.js";
import { recomputeTransferSummary } from "../../support/signals-recompute.js";
import type { HttpTarget } from "../../support/targets/target.js";

export function signalChecks(target: () => HttpTarget) {
  it("answers the transfer summary as a recomputation from the raw rows, whatever the order, replays and concurrent posts", async () => {
    const t = target();
    const e = freshId("rev");
    const rand = random(5);
    const bodies = Array.from({ length: 40 }, () => {
      const { transfer_reason, ...rest } = SPEC.transfer;
      const reason = pick(rand, [null, "", "gift", "Gift", "résale"]);
      return {
        ...rest,
        ...(reason === null ? {} : { transfer_reason: reason }),
        uuid: uuidv7(),
        event_id: e,
        ticket_id: `T${Math.floor(rand() * 8)}`,
        is_successful: rand() < 0.7,
        transfer_timestamp: new Date(
          Date.UTC(2026, 4, 1) + Math.floor(rand() * 3 * 86_400_000),
        ).toISOString(),
      };
    });
    const sent = [...shuffle(rand, bodies), ...bodies.filter(() => rand() < 0.25)];
    for (let i = 0; i < sent.length; i += 4) {
      const answers = await Promise.all(
        sent.slice(i, i + 4).map((body) => t.call("POST", "/transfers", { body, as: "ingest" })),
      );
      for (const a of answers) expect([200, 201]).toContain(a.status);
    }
    const res = await t.call("GET", `/stats/transfers/summary?event_id=${e}`, { as: "reader" });
    expect(res.status).toBe(200);
    const got = await json(res);
    expect(got).toEqual({ event_id: e, ...(await recomputeTransferSummary(t.raw.dialect, t.raw.query, e)) });
    expect(got.successful).toBeGreaterThan(0);
  });
}
