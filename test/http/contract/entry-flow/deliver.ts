// A live event delivered over HTTP the ways its records reach the service: in a random
// order, split between single records (POST /scans, POST /invalid-attempts) and POST /sync
// batches of the scanners that sync (some reporting a backlog), whole requests replayed
// (a retry after a lost answer), several requests in flight at once.
import { expect } from "vitest";
import { json, scannerToken } from "../../../support/api.js";
import { random, shuffle } from "../../../support/entry-flow-records.js";
import type { HttpTarget } from "../../../support/targets/target.js";
import type { LiveEvent, LiveItem } from "./live-event.js";

type Request =
  | { path: "/scans" | "/invalid-attempts"; body: unknown }
  | { path: "/sync"; scanner: string; items: number; body: Record<string, unknown> };

const single = (x: LiveItem): Request =>
  x.kind === "scan" ? { path: "/scans", body: x.body } : { path: "/invalid-attempts", body: x.body };

/** The requests of one delivery, replays included, in the order they are started. */
function plan(ev: LiveEvent, seed: number): Request[] {
  const rand = random(seed);
  const requests: Request[] = [];
  const open = new Map<string, { scans: unknown[]; invalid_attempts: unknown[]; size: number }>();
  const close = (scanner: string) => {
    const b = open.get(scanner);
    if (!b) return;
    open.delete(scanner);
    const backlog = rand() < 0.5 ? { device: { pending: Math.floor(rand() * 50) } } : {};
    const body = { scanner_id: scanner, sent_at: new Date().toISOString(), ...backlog };
    requests.push({
      path: "/sync",
      scanner,
      items: b.scans.length + b.invalid_attempts.length,
      body: { ...body, scans: b.scans, invalid_attempts: b.invalid_attempts },
    });
  };
  for (const x of shuffle(rand, ev.items)) {
    const scanner =
      x.kind === "scan" ? x.body.scanner_id : ev.syncing[Math.floor(rand() * ev.syncing.length)];
    if (scanner === undefined || !ev.syncing.includes(scanner) || rand() < 0.5) {
      requests.push(single(x));
      continue;
    }
    const b = open.get(scanner) ?? { scans: [], invalid_attempts: [], size: 1 + Math.floor(rand() * 8) };
    open.set(scanner, b);
    if (x.kind === "scan") {
      // A device's scans carry no scanner_id: the batch's is theirs.
      const { scanner_id: _, ...scan } = x.body;
      b.scans.push(scan);
    } else {
      b.invalid_attempts.push(x.body);
    }
    if (b.scans.length + b.invalid_attempts.length >= b.size) close(scanner);
  }
  for (const scanner of [...open.keys()]) close(scanner);
  return [
    ...requests,
    ...shuffle(
      rand,
      requests.filter(() => rand() < 0.3),
    ),
  ];
}

async function send(t: HttpTarget, r: Request, why: string): Promise<void> {
  if (r.path === "/sync") {
    const res = await t.call("POST", "/sync", { body: r.body, as: { token: await scannerToken(r.scanner) } });
    expect(res.status, why).toBe(200);
    const out = await json<{ accepted: number; duplicates: number; rejected: unknown[] }>(res);
    expect(out.rejected, why).toEqual([]);
    expect(out.accepted + out.duplicates, why).toBe(r.items);
    return;
  }
  const res = await t.call("POST", r.path, { body: r.body, as: "ingest" });
  expect([200, 201], `${why}: POST ${r.path} answered ${res.status}`).toContain(res.status);
  await res.arrayBuffer();
}

/**
 * Delivers `ev` by the plan of `seed`, `inFlight` requests at a time; answers the scanners
 * that used POST /sync. Every record is then stored once.
 */
export async function deliver(t: HttpTarget, ev: LiveEvent, seed: number, inFlight = 4) {
  const why = `seed ${seed}, event ${ev.eventId}`;
  const requests = plan(ev, seed);
  let next = 0;
  const writer = async () => {
    for (let r = requests[next++]; r; r = requests[next++]) await send(t, r, why);
  };
  await Promise.all(Array.from({ length: inFlight }, writer));
  const scans = ev.items.filter((x) => x.kind === "scan");
  const attempts = ev.items.filter((x) => x.kind === "attempt" && x.body.event_id !== undefined);
  expect(await t.rawCounts(ev.eventId), why).toMatchObject({
    scan_count: scans.length,
    invalid_attempt_count: attempts.length,
  });
  return { synced: new Set(requests.flatMap((r) => (r.path === "/sync" ? [r.scanner] : []))) };
}
