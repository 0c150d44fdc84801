// The store contract, transfers for the revenue team: GET /stats/transfers/summary (as the
// service answers it from the store's aggregates) equals a plain SQL recomputation from the
// raw rows (../../support/signals-recompute.ts), whatever the arrival order, batching,
// replays and concurrent writers; an event without transfers answers zeros.
import { expect, it } from "vitest";
import { createAnalytics } from "../../../src/analytics.js";
import type { TransferRow } from "../../../src/store/types.js";
import { pick, random, shuffle } from "../../support/entry-flow-records.js";
import { batch, transferRow } from "../../support/records.js";
import { recomputeTransferSummary } from "../../support/signals-recompute.js";
import { type ContractContext, freshEvent } from "./context.js";

const DAY = 86_400_000;
// Four UTC days; some transfers a millisecond either side of midnight.
const START = Date.UTC(2026, 4, 30, 0, 0, 0);
// No reason and the empty reason are different reasons; so are case and accents.
const REASONS = [null, "", "gift", "Gift", "resale", "résale", "split payment"];

function transfers(seed: number, e: string): TransferRow[] {
  const rand = random(seed);
  return Array.from({ length: 60 + Math.floor(rand() * 60) }, (_, i) => {
    const midnight = START + (1 + Math.floor(rand() * 3)) * DAY;
    const at = i % 9 === 0 ? midnight - 1 + Math.floor(rand() * 3) : START + Math.floor(rand() * 4 * DAY);
    return transferRow({
      event_id: e,
      ticket_id: `T${Math.floor(rand() * 25)}`,
      transfer_timestamp: new Date(at),
      transfer_reason: pick(rand, REASONS),
      is_successful: rand() < 0.7,
    });
  });
}

async function expectRecomputed(c: ContractContext, e: string, why: string) {
  const got = await createAnalytics(c.store).transferSummary(e);
  expect(got, why).toEqual({
    event_id: e,
    ...(await recomputeTransferSummary(c.raw.dialect, c.raw.query, e)),
  });
  return got;
}

/** Registers the transfer tests; `c` is the contract's store on a migrated database. */
export function transferSignals(c: ContractContext) {
  it("keeps the transfer summary equal to a recomputation from the raw rows, under any order, batching, replays and concurrent writers", async () => {
    for (const seed of [1, 2, 3]) {
      const e = freshEvent();
      const rand = random(seed * 31);
      const rows = shuffle(rand, transfers(seed, e));
      const chunks: TransferRow[][] = [];
      for (let i = 0; i < rows.length; ) {
        const size = 1 + Math.floor(rand() * 9);
        chunks.push(rows.slice(i, i + size));
        i += size;
      }
      const replays = chunks.filter(() => rand() < 0.3);
      const all = [...chunks, ...shuffle(rand, replays)];
      for (let i = 0; i < all.length; i += 4)
        await Promise.all(all.slice(i, i + 4).map((t) => c.store.insert(batch({ transfers: t }))));
      const got = await expectRecomputed(c, e, `seed ${seed}`);
      // What was checked was there: both outcomes, no reason and the empty one, several days.
      expect(got.successful * got.failed).toBeGreaterThan(0);
      expect(got.by_reason.map((r) => r.reason)).toEqual(expect.arrayContaining([null, ""]));
      expect(got.by_day.length).toBeGreaterThan(2);
    }
  });

  it("stays exact with twenty writers at once on the same tickets and reasons", async () => {
    const e = freshEvent();
    const rows = transfers(7, e);
    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        for (const row of rows.filter((_, i) => i % 20 === w))
          await c.store.insert(batch({ transfers: [row] }));
      }),
    );
    await expectRecomputed(c, e, "twenty writers");
  });

  it("answers an event without transfers with zeros and empty lists", async () => {
    expect(await createAnalytics(c.store).transferSummary("no-such-event")).toEqual({
      event_id: "no-such-event",
      successful: 0,
      failed: 0,
      tickets_transferred: 0,
      by_reason: [],
      by_day: [],
    });
  });
}
