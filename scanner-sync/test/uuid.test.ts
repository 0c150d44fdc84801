// The device's record ids: UUIDv7s whose random bits come from the kernel's generator
// (src/buffer/uuid.ts), read in blocks: every one a v7, all distinct, in the order made,
// and the random part random (a pool refilled with zeros or the same block would repeat).
import { expect, it } from "vitest";
import { newUuid } from "../src/buffer/uuid.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it("makes distinct UUIDv7s in the order made, with random bits that vary across refills of its pool", () => {
  const ids = Array.from({ length: 20_000 }, newUuid);
  for (const id of ids) expect(id).toMatch(UUID_V7);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
  // The last 8 hex digits are fresh random bits in every id (uuidv7's rand_b low word; the
  // counter lives in the bits before them): over 20,000 ids each of the 16 values turns up
  // in each of those places.
  for (let place = 28; place < 36; place++) {
    const seen = new Set(ids.map((id) => id[place]));
    expect(seen.size).toBe(16);
  }
});
