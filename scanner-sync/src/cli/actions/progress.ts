// What `sync` shows while it works: a progress bar on a terminal, plain lines otherwise
// (logs, pipes, a supervisor), so a gate's log says what happened and when.
import cliProgress from "cli-progress";
import type { UploadEvent } from "../../upload/uploader.js";

export interface Progress {
  onEvent(event: UploadEvent): void;
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function progress(tty: boolean): Progress {
  return tty ? progressBar() : progressLines();
}

function progressLines(): Progress {
  const line = (s: string) => process.stdout.write(`${new Date().toISOString()} sync: ${s}\n`);
  return {
    onEvent(e) {
      if (e.type === "start" && e.pending > 0)
        line(`${e.pending} record${e.pending === 1 ? "" : "s"} pending`);
      if (e.type === "batch") {
        line(
          `sent ${e.items} (accepted ${e.accepted}, duplicates ${e.duplicates}, rejected ${e.rejected}), ${e.pending} pending`,
        );
      }
      if (e.type === "retry") {
        process.stderr.write(
          `sync: ${e.reason}; retrying in ${seconds(e.delayMs)} (attempt ${e.attempt + 1})\n`,
        );
      }
    },
    stop() {},
  };
}

function progressBar(): Progress {
  const bar = new cliProgress.SingleBar(
    { format: "sync |{bar}| {value}/{total} records | {status}", hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  let done = 0;
  return {
    onEvent(e) {
      if (e.type === "start" && e.pending > 0 && !running) {
        done = 0;
        bar.start(e.pending, 0, { status: "sending" });
        running = true;
      }
      if (!running) return;
      if (e.type === "batch") {
        done += e.items;
        bar.setTotal(done + e.pending);
        bar.update(done, { status: `${e.rejected ? `${e.rejected} rejected, ` : ""}${e.pending} pending` });
        if (e.pending === 0) {
          bar.stop();
          running = false;
        }
      }
      if (e.type === "retry") bar.update(done, { status: `${e.reason}; retry in ${seconds(e.delayMs)}` });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
