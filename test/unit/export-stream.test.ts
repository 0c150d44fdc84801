// The export's stream (src/export/stream.ts) over a page source in memory: pages read only
// as the consumer takes bytes, sized by their weight, the cursor passed on, and how it
// ends (read to the end, cancelled, a failing read).
import { describe, expect, it } from "vitest";
import { type Cursor, type ExportEnd, openExport, type PageSizes } from "../../src/export/stream.js";

type Row = { id: number; t: number; pad: string };
const SIZES: PageSizes = { first: 2, min: 2, max: 8, targetBytes: 100 };

/** `n` rows of `pad` characters (a row is ~pad + 30 bytes as JSON), and every read asked of them. */
function source(n: number, pad = 0, fail?: (read: number) => boolean) {
  const rows: Row[] = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    t: Math.floor(i / 3),
    pad: "x".repeat(pad),
  }));
  const reads: { after: Cursor | undefined; limit: number }[] = [];
  const ends: ExportEnd[] = [];
  return {
    reads,
    ends,
    src: {
      sizes: SIZES,
      async read(after: Cursor | undefined, limit: number) {
        reads.push({ after, limit });
        if (fail?.(reads.length)) throw new Error(`read ${reads.length} failed`);
        const from = after ? rows.findIndex((r) => r.id === after.id) + 1 : 0;
        return rows.slice(from, from + limit);
      },
      cursorOf: (r: Row) => ({ time: new Date(r.t), id: r.id }),
      encode: (page: Row[], first: boolean) =>
        (first ? "head\n" : "") + page.map((r) => `${JSON.stringify(r)}\n`).join(""),
      onEnd: (end: ExportEnd) => ends.push(end),
    },
  };
}

const lines = (text: string) => text.split("\n").filter((l) => l !== "" && l !== "head");

describe("export stream", () => {
  it("reads the first page before answering, then one page ahead of what the consumer took", async () => {
    const s = source(40);
    const { body } = await openExport(s.src);
    // The first page, and the one read ahead.
    expect(s.reads).toHaveLength(2);
    const reader = body.getReader();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.reads).toHaveLength(2);
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.reads).toHaveLength(2);
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.reads).toHaveLength(3);
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read())
      text += new TextDecoder().decode(r.value);
    expect(lines(text)).toHaveLength(40 - 2 - (s.reads[1]?.limit ?? 0)); // the first two pages were taken above
    expect(s.ends).toEqual([{ outcome: "done", rows: 40 }]);
    // Each read starts after the last row of the one before.
    for (const [i, read] of s.reads.entries()) {
      if (i === 0) expect(read.after).toBeUndefined();
      else expect(read.after?.id).toBe(s.reads.slice(0, i).reduce((n, r) => n + r.limit, 0));
    }
  });

  it("sizes each page by the bytes per row of the one before, within min and max", async () => {
    const limits = async (bytesPerRow: number) => {
      const s = source(60);
      const { body } = await openExport({
        ...s.src,
        encode: (page: Row[]) => "x".repeat(page.length * bytesPerRow),
      });
      await new Response(body).arrayBuffer();
      return s.reads.map((r) => r.limit).slice(0, 3);
    };
    // targetBytes 100: 25 bytes a row -> 4 rows; 5 -> 20, capped at max (8); 200 -> 0, raised to min (2).
    expect(await limits(25)).toEqual([2, 4, 4]);
    expect(await limits(5)).toEqual([2, 8, 8]);
    expect(await limits(200)).toEqual([2, 2, 2]);
  });

  it("answers an empty export: the first page's text alone (a CSV header), then the end", async () => {
    const s = source(0);
    const text = await new Response((await openExport(s.src)).body).text();
    expect(text).toBe("head\n");
    expect(s.ends).toEqual([{ outcome: "done", rows: 0 }]);
  });

  it("ends after a full last page with one more read that finds nothing", async () => {
    const s = source(2);
    const text = await new Response((await openExport(s.src)).body).text();
    expect(lines(text)).toHaveLength(2);
    expect(s.reads).toHaveLength(2);
    expect(s.ends).toEqual([{ outcome: "done", rows: 2 }]);
  });

  it("rejects when the first read fails: nothing has been answered yet", async () => {
    const s = source(10, 0, (n) => n === 1);
    await expect(openExport(s.src)).rejects.toThrow("read 1 failed");
  });

  it("errors the body when a later read fails, so the consumer sees a broken stream, and says so once", async () => {
    const s = source(10, 0, (n) => n === 3);
    const { body, ended } = await openExport(s.src);
    await expect(new Response(body).text()).rejects.toThrow("read 3 failed");
    await ended;
    // What the first two reads gave was sent; nothing after.
    expect(s.ends).toEqual([
      {
        outcome: "failed",
        rows: (s.reads[0]?.limit ?? 0) + (s.reads[1]?.limit ?? 0),
        error: expect.any(Error),
      },
    ]);
  });

  it("stops reading when the consumer cancels, and settles `ended`", async () => {
    const s = source(100);
    const { body, ended } = await openExport(s.src);
    const reader = body.getReader();
    await reader.read();
    await reader.cancel();
    await ended;
    const reads = s.reads.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(s.reads.length).toBe(reads);
    expect(s.ends).toEqual([{ outcome: "cancelled", rows: expect.any(Number) }]);
  });
});
