// `sync`: drain the outbox once (exit 0 when it is empty), or with --watch keep draining
// as records arrive and the network comes and goes, until SIGINT/SIGTERM.
import type { Command } from "commander";
import { DEFAULT_MAX_IN_FLIGHT, Uploader } from "../upload/uploader.js";
import { action, EXIT } from "./errors.js";
import { globals, positiveInt, withBuffer } from "./options.js";
import { progress } from "./progress.js";

interface SyncOptions {
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

export function syncCommand(program: Command): void {
  program
    .command("sync")
    .description("upload the outbox to POST /sync; exit 0 when it is empty")
    .option("--watch", "keep syncing as records arrive, until SIGINT/SIGTERM")
    .option("--poll <seconds>", "with --watch: how often to look for new records", Number, 2)
    .option("--batch-size <n>", "records per request (at most 1000)", positiveInt("--batch-size"))
    .option(
      "--in-flight <n>",
      "requests on their way at once (the next batches are sent while one is answered)",
      positiveInt("--in-flight"),
      DEFAULT_MAX_IN_FLIGHT,
    )
    .option(
      "--max-retries <n>",
      "retries of a failing request before giving up (not with --watch)",
      positiveInt("--max-retries"),
      5,
    )
    .option("--timeout <seconds>", "per request", Number, 30)
    .option(
      "--max-backoff <seconds>",
      "longest wait between retries (a Retry-After may ask for more)",
      Number,
      30,
    )
    .option(
      "--keep-days <n>",
      "keep uploaded records this long for 'already scanned here?'",
      positiveInt("--keep-days"),
      7,
    )
    .option("--keep-rows <n>", "and at most this many", positiveInt("--keep-rows"), 100_000)
    .action(
      action(async (o: SyncOptions, cmd: Command) => {
        const g = globals(cmd);
        if (!g.url) throw new Error("no server URL: pass --url or set SYNC_URL");
        const url = g.url;
        return withBuffer(cmd, { create: true }, async (buffer) => {
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
            if (o.watch) process.stderr.write(`sync: watching ${g.db}, sending to ${uploader.endpoint}\n`);
            const r = o.watch
              ? await uploader.watch({ signal: controller.signal, pollMs: o.poll * 1000 })
              : await uploader.drain({ signal: controller.signal });
            shown.stop();
            process.stdout.write(
              `synced ${r.sent} records in ${r.batches} batch${r.batches === 1 ? "" : "es"}: ${r.accepted} accepted, ${r.duplicates} duplicates, ${r.rejected} rejected; ${r.pending ? `${r.pending} pending` : "outbox empty"}\n`,
            );
            if (r.rejected) {
              process.stderr.write(
                `sync: ${r.rejected} records rejected by the server: see \`veritix-scanner dead-letters\`\n`,
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
      }),
    );
}
