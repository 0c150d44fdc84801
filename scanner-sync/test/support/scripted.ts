// A real HTTP server that answers POST /sync from a script, for the uploader's handling
// of each kind of answer without a database behind it.
import { createServer } from "node:http";

export interface SeenRequest {
  headers: Record<string, string | string[] | undefined>;
  body: {
    scanner_id: string;
    sent_at: string;
    scans: { uuid: string }[];
    invalid_attempts: { uuid: string }[];
    device: { pending: number; oldest_pending_at: string | null; app_version: string };
  };
}

export type Answer = { status: number; headers?: Record<string, string>; body: unknown; delayMs?: number };

export interface Scripted {
  url: string;
  seen: SeenRequest[];
  /** Requests arrived and not answered yet, and the most there ever were at once. */
  open: number;
  maxOpen: number;
  close(): Promise<void>;
}

/** `answer(req, n)` for the n-th request (1-based); a string body is sent as is. */
export async function scriptedServer(answer: (req: SeenRequest, n: number) => Answer): Promise<Scripted> {
  const seen: SeenRequest[] = [];
  const counts = { open: 0, maxOpen: 0 };
  const server = createServer(async (req, res) => {
    counts.open++;
    counts.maxOpen = Math.max(counts.maxOpen, counts.open);
    res.on("close", () => counts.open--);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r: SeenRequest = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
    seen.push(r);
    const a = answer(r, seen.length);
    const text = typeof a.body === "string" ? a.body : JSON.stringify(a.body);
    if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
    if (res.destroyed) return;
    res.writeHead(a.status, { "Content-Type": "application/json", ...a.headers });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    get open() {
      return counts.open;
    },
    get maxOpen() {
      return counts.maxOpen;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The answer an honest server gives when it stores everything. */
export const acceptAll = (req: SeenRequest): Answer => ({
  status: 200,
  body: { accepted: req.body.scans.length + req.body.invalid_attempts.length, duplicates: 0, rejected: [] },
});
