// The uploader against a scripted HTTP server: how it treats each kind of answer.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_IN_FLIGHT,
  ScanBuffer,
  SyncFatal,
  SyncUnavailable,
  Uploader,
  type UploaderOptions,
} from "../src/index.js";
import { countItems, fill, type TempDir, tempDir } from "./support/buffers.js";
import {
  type Answer,
  acceptAll,
  type Scripted,
  type SeenRequest,
  scriptedServer,
} from "./support/scripted.js";
import { freePort } from "./support/server-process.js";

describe("Uploader", () => {
  let dir: TempDir;
  let buffer: ScanBuffer;
  let server: Scripted | undefined;
  let delays: number[];
  beforeEach(() => {
    dir = tempDir();
    buffer = ScanBuffer.open({ path: dir.path("scanner.db"), scannerId: "gate-a-01" });
    delays = [];
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    buffer.close();
    dir.cleanup();
  });

  const serve = async (answer: (req: SeenRequest, n: number) => Answer) => {
    server = await scriptedServer(answer);
    return server;
  };
  const uploader = (url: string, over: Partial<UploaderOptions> = {}) =>
    new Uploader({
      buffer,
      url,
      token: "scanner-token",
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
      // The pipelining tests below follow two requests in flight.
      maxInFlight: 2,
      ...over,
    });
  const uuidsOf = (r: SeenRequest) => [...r.body.scans, ...r.body.invalid_attempts].map((i) => i.uuid);

  it("sends the oldest first in batches, with the device's backlog, and empties the outbox", async () => {
    fill(buffer, "e1", { scans: 1150, attempts: 50 });
    const recorded = buffer.outbox.pending(2000).map((i) => i.uuid);
    const s = await serve(acceptAll);
    const result = await uploader(s.url).drain();
    expect(result).toMatchObject({ sent: 1200, accepted: 1200, batches: 3, pending: 0 });
    // Two requests overlap, so the server may see them in either order: put them back in
    // the order of their items, then every batch must hold the next oldest ones.
    const seen = [...s.seen].sort(
      (a, b) => recorded.indexOf(uuidsOf(a)[0] as string) - recorded.indexOf(uuidsOf(b)[0] as string),
    );
    expect(seen.map((r) => uuidsOf(r).length)).toEqual([500, 500, 200]);
    expect(seen.flatMap((r) => r.body.scans.map((i) => i.uuid))).toEqual(recorded.slice(0, 1150));
    expect(seen.map((r) => r.body.device.pending)).toEqual([700, 200, 0]);
    expect(seen.map((r) => r.body.device.oldest_pending_at === null)).toEqual([false, false, true]);
    expect(seen[0]?.body).toMatchObject({ scanner_id: "gate-a-01", device: { app_version: "0.1.0" } });
    expect(seen[0]?.headers.authorization).toBe("Bearer scanner-token");
    expect(buffer.status()).toMatchObject({ pending: 0, last_error: null, last_sync_at: expect.any(String) });
  });

  it("keeps a batch under ~900 KiB of JSON whatever the item count", async () => {
    buffer.transaction(() => {
      for (let i = 0; i < 300; i++) {
        buffer.record({ event_id: "e1", ticket_id: `t${i}`, additional_metadata: { pad: "x".repeat(8000) } });
      }
    });
    const s = await serve(acceptAll);
    await uploader(s.url, { batchSize: 1000 }).drain();
    const sizes = s.seen.map((r) => Buffer.byteLength(JSON.stringify(r.body)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(900 * 1024);
    expect(s.seen.reduce((n, r) => n + r.body.scans.length, 0)).toBe(300);
  });

  it("moves the items the server rejects to the dead letters, and the rest are done", async () => {
    fill(buffer, "e1", { scans: 4, attempts: 2 });
    const issues = [{ path: "scan_timestamp", message: "must not be more than 24 hours in the future" }];
    const s = await serve((req) => ({
      status: 200,
      body: {
        accepted: 4,
        duplicates: 0,
        rejected: [
          { kind: "scan", index: 1, uuid: req.body.scans[1]?.uuid, issues },
          { kind: "invalid_attempt", index: 0, uuid: null, issues },
        ],
      },
    }));
    expect(await uploader(s.url).drain()).toMatchObject({ sent: 6, rejected: 2, pending: 0 });
    expect(buffer.deadLetters().map((d) => [d.kind, d.uuid, d.issues])).toEqual([
      ["scan", s.seen[0]?.body.scans[1]?.uuid, issues],
      ["invalid_attempt", s.seen[0]?.body.invalid_attempts[0]?.uuid, issues],
    ]);
    expect(buffer.status()).toMatchObject({ pending: 0, dead_letters: 2 });
  });

  it("retries 5xx and 429 with backoff, honouring Retry-After in seconds and as a date", async () => {
    fill(buffer, "e1", { scans: 10 });
    const at = new Date(Date.now() + 4000).toUTCString();
    const script: Answer[] = [
      { status: 503, body: { error: "unavailable", message: "database down", request_id: "r1" } },
      { status: 429, headers: { "Retry-After": "2" }, body: { error: "rate_limited", message: "slow down" } },
      { status: 429, headers: { "Retry-After": at }, body: "" },
      { status: 502, body: "<html>bad gateway</html>" },
    ];
    const s = await serve((req, n) => script[n - 1] ?? acceptAll(req));
    const events: string[] = [];
    const u = uploader(s.url, { backoff: { baseMs: 100, capMs: 1000 }, onEvent: (e) => events.push(e.type) });
    expect(await u.drain()).toMatchObject({ sent: 10, pending: 0 });
    expect(s.seen).toHaveLength(5);
    expect(delays[0]).toBe(50);
    expect(delays[1]).toBe(2000);
    expect(delays[2]).toBeGreaterThan(2000);
    expect(delays[2]).toBeLessThanOrEqual(4000);
    expect(delays[3]).toBe(400);
    expect(events.filter((e) => e === "retry")).toHaveLength(4);
    expect(new Set(s.seen.map((r) => JSON.stringify(uuidsOf(r)))).size).toBe(1);
  });

  it("gives up after the retries with the reason, keeping every item and the last error", async () => {
    fill(buffer, "e1", { scans: 3 });
    const s = await serve(() => ({
      status: 500,
      body: { error: "internal", message: "boom", request_id: "r7" },
    }));
    const run = uploader(s.url, { maxRetries: 2 }).drain();
    await expect(run).rejects.toThrow(SyncUnavailable);
    await expect(run).rejects.toThrow(
      /server answered 500 \(internal: boom \(request r7\)\); gave up after 3 attempts; 3 records kept/,
    );
    expect(s.seen).toHaveLength(3);
    expect(buffer.status()).toMatchObject({
      pending: 3,
      last_error: { message: expect.stringContaining("500") },
    });
  });

  for (const [status, pattern] of [
    [401, /refused the token \(401/],
    [403, /refused this token for this upload \(403/],
    [400, /refused the batch \(400/],
    [404, /no POST \/sync at .*is --url/],
    [301, /redirects to https:\/\/elsewhere.example \(301\)/],
  ] as const) {
    it(`stops at once on ${status}, without retrying, keeping every item`, async () => {
      fill(buffer, "e1", { scans: 3 });
      const s = await serve(() => ({
        status,
        headers: { Location: "https://elsewhere.example" },
        body: { error: "x", message: "refused", request_id: "r1" },
      }));
      await expect(uploader(s.url).drain()).rejects.toThrow(SyncFatal);
      await expect(uploader(s.url).drain()).rejects.toThrow(pattern);
      expect(s.seen).toHaveLength(2);
      expect(delays).toEqual([]);
      expect(buffer.status()).toMatchObject({
        pending: 3,
        last_error: { message: expect.stringMatching(pattern) },
      });
    });
  }

  it("halves the batch on 413 until the server takes it", async () => {
    fill(buffer, "e1", { scans: 400 });
    const s = await serve((req) =>
      req.body.scans.length > 120
        ? { status: 413, body: { error: "payload_too_large", message: "too big" } }
        : acceptAll(req),
    );
    expect(await uploader(s.url, { batchSize: 400 }).drain()).toMatchObject({ sent: 400, pending: 0 });
    expect(s.seen.map((r) => r.body.scans.length)).toEqual([400, 200, 100, 100, 100, 100]);
  });

  it("never takes a 200 that is not a sync answer (a captive portal) as done", async () => {
    fill(buffer, "e1", { scans: 2 });
    const s = await serve((req, n) =>
      n === 1 ? { status: 200, body: "<html>Welcome to Stadium WiFi</html>" } : acceptAll(req),
    );
    expect(await uploader(s.url).drain()).toMatchObject({ sent: 2, batches: 1 });
    expect(s.seen).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it("stops, settling nothing, when the answer does not fit the batch", async () => {
    fill(buffer, "e1", { scans: 3 });
    const s = await serve(() => ({ status: 200, body: { accepted: 2, duplicates: 0, rejected: [] } }));
    await expect(uploader(s.url).drain()).rejects.toThrow(
      /does not match the batch: 3 items sent, 2 answered/,
    );
    expect(buffer.status().pending).toBe(3);
  });

  it("retries a refused connection and says so", async () => {
    fill(buffer, "e1", { scans: 1 });
    const reasons: string[] = [];
    const u = uploader(`http://127.0.0.1:${await freePort()}`, {
      maxRetries: 2,
      onEvent: (e) => e.type === "retry" && reasons.push(e.reason),
    });
    await expect(u.drain()).rejects.toThrow(/connection refused.*1 record kept/);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/sync: connection refused/);
  });

  it("gives up on a request that gets no answer in time", async () => {
    fill(buffer, "e1", { scans: 1 });
    const s = await serve((req) => ({ ...acceptAll(req), delayMs: 5000 }));
    const u = uploader(s.url, { requestTimeoutMs: 200, maxRetries: 0 });
    await expect(u.drain()).rejects.toThrow(/no answer within 0.2 s/);
    expect(buffer.status().pending).toBe(1);
  });

  it("stops when aborted mid-request, keeping the batch for the next run", async () => {
    fill(buffer, "e1", { scans: 5 });
    const controller = new AbortController();
    const s = await serve((req) => {
      controller.abort();
      return { ...acceptAll(req), delayMs: 500 };
    });
    expect(await uploader(s.url).drain({ signal: controller.signal })).toMatchObject({ sent: 0, pending: 5 });
    expect(s.seen).toHaveLength(1);
  });

  describe("two batches in flight", () => {
    /** The seqs of each settled batch, in the order they were settled. */
    const spySettle = () => {
      const settled: number[][] = [];
      const real = buffer.outbox.settle.bind(buffer.outbox);
      buffer.outbox.settle = (sent, rejected, requestId) => {
        settled.push(sent.map((i) => i.seq));
        return real(sent, rejected, requestId);
      };
      return settled;
    };
    const firstUuid = (r: SeenRequest) => uuidsOf(r)[0];

    it("sends the next batch while one is answered, never more than two, and settles them in order", async () => {
      fill(buffer, "e1", { scans: 3000 });
      const recorded = buffer.outbox.pending(5000);
      const settled = spySettle();
      const s = await serve((req) => ({ ...acceptAll(req), delayMs: 40 }));
      const pending: number[] = [];
      const u = uploader(s.url, { onEvent: (e) => e.type === "batch" && pending.push(e.pending) });
      expect(await u.drain()).toMatchObject({ sent: 3000, accepted: 3000, batches: 6, pending: 0 });
      expect(s.maxOpen).toBe(2);
      // Six distinct batches of consecutive items: every item sent once, settled once, in order.
      expect(s.seen).toHaveLength(6);
      const sent = [...s.seen].sort((a, b) => b.body.device.pending - a.body.device.pending);
      expect(sent.flatMap(uuidsOf)).toEqual(recorded.map((i) => i.uuid));
      expect(sent.map((r) => r.body.device.pending)).toEqual([2500, 2000, 1500, 1000, 500, 0]);
      expect(settled.flat()).toEqual(recorded.map((i) => i.seq));
      expect(pending).toEqual([2500, 2000, 1500, 1000, 500, 0]);
      expect(countItems(dir.path("scanner.db"), "uploaded")).toBe(3000);

      await s.close();
      fill(buffer, "e1", { scans: 1500 });
      const one = await serve((req) => ({ ...acceptAll(req), delayMs: 40 }));
      expect(await uploader(one.url, { maxInFlight: 1 }).drain()).toMatchObject({ sent: 1500, pending: 0 });
      expect(one.maxOpen).toBe(1);

      await one.close();
      fill(buffer, "e1", { scans: 3000 });
      const deep = await serve((req) => ({ ...acceptAll(req), delayMs: 40 }));
      const byDefault = uploader(deep.url, { maxInFlight: undefined });
      expect(await byDefault.drain()).toMatchObject({ sent: 3000, pending: 0 });
      expect(deep.maxOpen).toBe(DEFAULT_MAX_IN_FLIGHT);
    });

    it("a failure of the first: the second's 200 waits for it, nothing is lost or settled twice", async () => {
      fill(buffer, "e1", { scans: 1500 });
      const recorded = buffer.outbox.pending(5000);
      const first = recorded[0]?.uuid;
      const settled = spySettle();
      const answered: string[] = [];
      // The first batch's first attempt fails, late: the second batch is answered before it.
      const s = await serve((req) => {
        const again = s.seen.filter((r) => firstUuid(r) === firstUuid(req)).length > 1;
        answered.push(`${firstUuid(req) === first ? "first" : "other"}${again ? " again" : ""}`);
        return firstUuid(req) === first && !again
          ? { status: 503, body: { error: "unavailable", message: "busy" }, delayMs: 150 }
          : acceptAll(req);
      });
      const pending: number[] = [];
      const u = uploader(s.url, { onEvent: (e) => e.type === "batch" && pending.push(e.pending) });
      expect(await u.drain()).toMatchObject({ sent: 1500, accepted: 1500, duplicates: 0, batches: 3 });
      expect(s.maxOpen).toBe(2);
      expect(answered.slice(0, 2).sort()).toEqual(["first", "other"]);
      expect(answered.slice(2)).toEqual(["first again", "other"]);
      expect(delays).toHaveLength(1);
      // The second batch (answered first) was settled only after the first: 1000 still
      // pending once the first was settled, so strictly in order, each item once.
      expect(pending).toEqual([1000, 500, 0]);
      expect(settled.flat()).toEqual(recorded.map((i) => i.seq));
      expect(countItems(dir.path("scanner.db"), "uploaded")).toBe(1500);
      expect(buffer.status()).toMatchObject({ pending: 0, last_error: null });
    });

    it("gives up on the first with the second answered: settles neither, keeps every item", async () => {
      fill(buffer, "e1", { scans: 1500 });
      const first = buffer.outbox.pending(1)[0]?.uuid;
      const s = await serve((req) =>
        firstUuid(req) === first
          ? { status: 500, body: { error: "internal", message: "boom" }, delayMs: 100 }
          : acceptAll(req),
      );
      await expect(uploader(s.url, { maxRetries: 0 }).drain()).rejects.toThrow(/1500 records kept/);
      expect(s.seen).toHaveLength(2);
      expect(buffer.status().pending).toBe(1500);
      expect(countItems(dir.path("scanner.db"), "uploaded")).toBe(0);
      // The next run sends both again (the server counts the second as duplicates).
      await s.close();
      const again = await serve(acceptAll);
      expect(await uploader(again.url).drain()).toMatchObject({ sent: 1500, batches: 3, pending: 0 });
      expect(countItems(dir.path("scanner.db"), "uploaded")).toBe(1500);
    });

    it("a 413 of the first drops the second and reads on after the half that fits", async () => {
      fill(buffer, "e1", { scans: 1000 });
      const recorded = buffer.outbox.pending(5000);
      const settled = spySettle();
      const s = await serve((req) =>
        req.body.scans.length > 300
          ? { status: 413, body: { error: "payload_too_large", message: "too big" }, delayMs: 20 }
          : acceptAll(req),
      );
      expect(await uploader(s.url, { batchSize: 400 }).drain()).toMatchObject({ sent: 1000, pending: 0 });
      expect(settled.map((b) => b.length)).toEqual([200, 200, 200, 200, 200]);
      expect(settled.flat()).toEqual(recorded.map((i) => i.seq));
      expect(s.maxOpen).toBeLessThanOrEqual(2);
    });
  });

  it("two uploaders on one file (a cron sync overlapping a watcher): everything settled once, nothing refused", async () => {
    fill(buffer, "e1", { scans: 2000 });
    const recorded = buffer.outbox.pending(5000).map((i) => i.uuid);
    const poison = recorded[1234] as string;
    const issues = [{ path: "scan_timestamp", message: "must not be more than 24 hours in the future" }];
    const s = await serve((req, n) => {
      const index = req.body.scans.findIndex((i) => i.uuid === poison);
      const rejected = index < 0 ? [] : [{ kind: "scan", index, uuid: poison, issues }];
      const items = req.body.scans.length + req.body.invalid_attempts.length;
      return {
        status: 200,
        delayMs: 5 + (n % 4) * 15,
        body: { accepted: items - rejected.length, duplicates: 0, rejected },
      };
    });
    const twin = ScanBuffer.open({ path: dir.path("scanner.db") });
    try {
      const runs = await Promise.all([
        uploader(s.url, { batchSize: 300 }).drain(),
        new Uploader({ buffer: twin, url: s.url, batchSize: 500 }).drain(),
      ]);
      expect(runs.map((r) => r.pending)).toEqual([0, 0]);
      expect(runs[0].sent + runs[1].sent).toBeGreaterThan(2000);
      expect(new Set(s.seen.flatMap(uuidsOf))).toEqual(new Set(recorded));
      expect(twin.status()).toMatchObject({ pending: 0, dead_letters: 1, last_error: null });
    } finally {
      twin.close();
    }
    expect(buffer.deadLetters().map((d) => [d.uuid, d.issues])).toEqual([[poison, issues]]);
    expect(countItems(dir.path("scanner.db"), "uploaded")).toBe(1999);
  });

  it("watches: records arriving later are sent too, until aborted", async () => {
    const s = await serve(acceptAll);
    const controller = new AbortController();
    let polls = 0;
    const u = uploader(s.url, {
      sleep: async () => {
        polls++;
        if (polls <= 3) fill(buffer, "e1", { scans: 2 });
        else controller.abort();
      },
    });
    expect(await u.watch({ signal: controller.signal })).toMatchObject({ sent: 6, pending: 0 });
  });
});
