// Pages of rows -> the bytes of an answer, read from the database only as the client takes
// them: a pull-based ReadableStream that hands out one keyset page per read, so the
// runtime's backpressure (Node's socket, workerd's) holds the database back and memory
// stays at about two pages (the one being sent, the one read ahead), whatever the export's size.

/** Where the next page starts: the own time and id of the last record sent. */
export interface Cursor {
  time: Date;
  id: number;
}

/**
 * Pages are sized by what they weigh, not by a fixed count: the first is small (the first
 * bytes leave soon, and a database that does not answer costs little to find out), each
 * next one holds about `targetBytes` of output at the previous page's bytes per row, within
 * [min, max] rows. Typical records (~300 bytes as NDJSON) get `max` rows a page, so a
 * 1,000,000-record export is ~500 queries: the Worker's D1 allows 1,000 per invocation on
 * the paid plan. Records near their size limits (~11 KB) get ~100 rows a page, so a page
 * stays about a megabyte, within the Worker's 128 MB whichever records an event holds.
 * Larger pages bought nothing on Node and cost memory: the server's RSS grew by 69 MB over
 * an export of 1,000,000 scans at 5,000 rows / 2 MiB, by 42 MB at 2,000 / 1 MiB, by 38-39 MB
 * at 1,000 and 500 (bench/export.ts; the same throughput within noise).
 */
export interface PageSizes {
  first: number;
  min: number;
  max: number;
  targetBytes: number;
}

const PAGE_SIZES: PageSizes = { first: 100, min: 100, max: 2000, targetBytes: 1024 * 1024 };

/** How an export ended, with the rows read by then: all sent, the client went away, or a read failed mid-way. */
export type ExportEnd =
  | { outcome: "done"; rows: number }
  | { outcome: "cancelled"; rows: number }
  | { outcome: "failed"; rows: number; error: unknown };

export interface ExportSource<R> {
  /** Up to `limit` rows after `after` (from the start without it), oldest first. */
  read(after: Cursor | undefined, limit: number): Promise<R[]>;
  cursorOf(row: R): Cursor;
  /** A page as text; `first`: the export's first page, which is encoded even when empty (a CSV header). */
  encode(rows: R[], first: boolean): string;
  /** Called once, however the export ended. */
  onEnd?(end: ExportEnd): void;
  sizes?: PageSizes;
}

export interface OpenedExport {
  body: ReadableStream<Uint8Array>;
  /** Settles once the body has ended (read to its end, cancelled by the client, or errored). */
  ended: Promise<void>;
}

const nextLimit = (s: PageSizes, bytesPerRow: number) =>
  Math.min(s.max, Math.max(s.min, Math.floor(s.targetBytes / Math.max(bytesPerRow, 1))));

/**
 * Reads the first page, then answers the body that streams the rest. The first read is
 * awaited here, before any byte is sent, so a database that does not answer is still an
 * error answer (503); after it, a failing read errors the body: the client sees a broken
 * transfer, never a clean but short file.
 */
export async function openExport<R>(src: ExportSource<R>): Promise<OpenedExport> {
  const sizes = src.sizes ?? PAGE_SIZES;
  const encoder = new TextEncoder();
  let after: Cursor | undefined;
  let limit = sizes.first;
  let more = true;
  let first = true;
  let rows = 0;

  /** The next page as bytes (null when it holds nothing to send). */
  const readPage = async (): Promise<Uint8Array | null> => {
    const page = await src.read(after, limit);
    more = page.length === limit;
    const last = page.at(-1);
    if (last) after = src.cursorOf(last);
    const bytes = encoder.encode(src.encode(page, first));
    first = false;
    rows += page.length;
    if (page.length > 0) limit = nextLimit(sizes, bytes.byteLength / page.length);
    return bytes.byteLength > 0 ? bytes : null;
  };

  let settle: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    settle = resolve;
  });
  let over = false;
  const end = (how: ExportEnd) => {
    if (over) return;
    over = true;
    settle();
    src.onEnd?.(how);
  };

  // One page is read ahead while the client takes the one before, so the database and the
  // network work at once; its failure is raised by the pull that awaits it. Pulls come only
  // from reads (highWaterMark 0), so an error always meets a waiting read: @hono/node-server
  // then destroys the socket (the transfer breaks), where a stream erroring between reads
  // makes it append "Error: <message>" to the body and end it cleanly.
  let ready = await readPage();
  let next: Promise<Uint8Array | null> | null = null;
  const readAhead = () => {
    next = more ? readPage() : null;
    next?.catch(() => {});
  };
  readAhead();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let chunk = ready;
          ready = null;
          while (!chunk && next) {
            chunk = await next;
            readAhead();
          }
          if (over) return; // cancelled while a page was read
          if (chunk) controller.enqueue(chunk);
          if (!next) {
            controller.close();
            end({ outcome: "done", rows });
          }
        } catch (error) {
          if (over) return;
          controller.error(error);
          end({ outcome: "failed", rows, error });
        }
      },
      cancel() {
        end({ outcome: "cancelled", rows });
      },
    },
    { highWaterMark: 0 },
  );
  return { body, ended };
}
