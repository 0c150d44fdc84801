// GET /export/* when the database fails, in process: before the first byte it is the 503
// envelope; after it, the body breaks (over real HTTP on Node: the chunked transfer never
// ends cleanly, so a client cannot mistake a short file for the whole export) and the
// failure is logged. The export's contract on every target: test/http/contract/export.ts.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnalytics } from "../../src/analytics.js";
import { createApp, sharedServices } from "../../src/app.js";
import { createLogger } from "../../src/observability/logger.js";
import { noMetrics } from "../../src/observability/metrics.js";
import { StoreError } from "../../src/store/errors.js";
import { betterSqliteStore } from "../../src/store/sqlite/embedded/store.js";
import type { Store } from "../../src/store/types.js";
import { expectEnvelope, freshId } from "../support/api.js";
import { batch, scanRow } from "../support/records.js";

describe("GET /export/* when the database fails", () => {
  let store: Store;
  /** The page read that fails (1: the first), none when 0. */
  let failingRead = 0;
  let reads = 0;
  const logs: Record<string, unknown>[] = [];
  let app: ReturnType<typeof createApp>;
  let url: string;
  let server: ReturnType<typeof serve>;
  const event = freshId("export");

  beforeAll(async () => {
    const raw = await betterSqliteStore({ path: ":memory:" });
    store = {
      ...raw,
      recordsPage: (kind, f) => {
        reads++;
        if (reads === failingRead)
          return Promise.reject(new StoreError("unavailable", "the database is unavailable"));
        return raw.recordsPage(kind, f);
      },
    };
    // 300 scans: a first page of 100, then the rest.
    await store.insert(
      batch({
        scans: Array.from({ length: 300 }, (_, i) => scanRow({ event_id: event, ticket_id: `t${i}` })),
      }),
    );
    app = createApp({
      services: sharedServices(createAnalytics(store)),
      auth: { tokens: [], openFor: () => true },
      logger: createLogger("debug", {}, (line) => logs.push(JSON.parse(line))),
      metrics: noMetrics,
    });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await store?.close();
  });

  const exportFailingAt = (read: number, format = "ndjson") => {
    reads = 0;
    failingRead = read;
    logs.length = 0;
    return fetch(`${url}/export/scans?event_id=${event}&format=${format}`);
  };

  it("answers 503 with the envelope when the database fails before the first byte", async () => {
    await expectEnvelope(await exportFailingAt(1), 503, "unavailable");
  });

  it("breaks the transfer when the database fails after the answer began, and logs it", async () => {
    for (const format of ["ndjson", "csv"]) {
      const res = await exportFailingAt(2, format);
      expect(res.status).toBe(200);
      // undici rejects a chunked body that ends without its last chunk ("terminated").
      await expect(res.text()).rejects.toThrow();
      const failed = logs.find((l) => l.msg === "export failed after its answer began");
      expect(failed).toMatchObject({
        level: "error",
        export: "scans",
        event_id: event,
        format,
        rows: 100,
        error: "the database is unavailable",
      });
      expect(failed?.request_id).toEqual(expect.any(String));
    }
  });

  it("logs a whole export with its rows", async () => {
    const res = await exportFailingAt(0);
    expect((await res.text()).split("\n").filter(Boolean)).toHaveLength(300);
    expect(logs.find((l) => l.msg === "export sent")).toMatchObject({
      level: "info",
      rows: 300,
      export: "scans",
    });
  });

  it("answers HEAD with the export's headers and reads no page", async () => {
    for (const format of ["ndjson", "csv"]) {
      reads = 0;
      failingRead = 0;
      const query = `/export/scans?event_id=${event}&format=${format}`;
      const head = await fetch(`${url}${query}`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      expect(reads).toBe(0);
      const get = await fetch(`${url}${query}`);
      await get.arrayBuffer();
      for (const name of ["content-type", "content-disposition", "cache-control", "x-content-type-options"])
        expect(head.headers.get(name)).toBe(get.headers.get(name));
    }
  });
});
