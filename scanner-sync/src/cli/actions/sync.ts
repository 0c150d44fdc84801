// What `sync` does: one drain, or --watch until a signal, shown as it goes; the exit code
// says whether the outbox is empty.
import { resolve } from "node:path";
import type { Command } from "commander";
import { Uploader } from "../../upload/uploader.js";
import { EXIT } from "../errors.js";
import { globals } from "../options.js";
import { progress } from "./progress.js";
import { withBuffer } from "./with-buffer.js";

const records = (n: number) => `${n} record${n === 1 ? "" : "s"}`;

export interface SyncOptions {
  watch?: boolean;
  poll: number;
  batchSize?: number;
  inFlight: number;
  maxRetries: number;
  timeout: number;
  maxBackoff: number;
  keepDays: number;
  keepRows: number;
}

/** Aborts on the first SIGINT/SIGTERM (the in-flight request is dropped: resending is harmless); a second one exits at once. */
function stopOnSignals(controller: AbortController): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`sync: ${signal}, stopping\n`);
    controller.abort();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

export function sync(o: SyncOptions, cmd: Command): Promise<number> {
  const g = globals(cmd);
  if (!g.url) throw new Error("no server URL: pass --url or set SYNC_URL");
  const url = g.url;
  // A one-shot sync of a buffer that is not there is a mistake (a cron job in another
  // directory: "outbox empty" for ever); a watcher may start before the first record.
  return withBuffer(cmd, { create: Boolean(o.watch) }, async (buffer) => {
    const shown = progress(Boolean(process.stdout.isTTY));
    const uploader = new Uploader({
      buffer,
      url,
      token: g.token,
      batchSize: o.batchSize,
      maxInFlight: o.inFlight,
      maxRetries: o.maxRetries,
      requestTimeoutMs: o.timeout * 1000,
      backoff: { capMs: o.maxBackoff * 1000 },
      retention: { days: o.keepDays, rows: o.keepRows },
      onEvent: (e) => shown.onEvent(e),
    });
    const controller = new AbortController();
    const release = stopOnSignals(controller);
    try {
      if (o.watch) process.stderr.write(`sync: watching ${resolve(g.db)}, sending to ${uploader.endpoint}\n`);
      const r = o.watch
        ? await uploader.watch({ signal: controller.signal, pollMs: o.poll * 1000 })
        : await uploader.drain({ signal: controller.signal });
      shown.stop();
      process.stdout.write(
        `synced ${records(r.sent)} in ${r.batches} batch${r.batches === 1 ? "" : "es"}: ${r.accepted} accepted, ${r.duplicates} duplicate${r.duplicates === 1 ? "" : "s"}, ${r.rejected} rejected; ${r.pending ? `${r.pending} pending` : "outbox empty"}\n`,
      );
      if (r.rejected) {
        process.stderr.write(
          `sync: ${records(r.rejected)} rejected by the server: see \`veritix-scanner dead-letters\`\n`,
        );
      }
      if (o.watch) return EXIT.ok;
      if (controller.signal.aborted) return EXIT.interrupted;
      return r.pending === 0 ? EXIT.ok : EXIT.tempfail;
    } finally {
      shown.stop();
      release();
    }
  });
}
