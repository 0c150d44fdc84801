// The event's records as CSV files (GET /export/<kind>?format=csv), for whoever opens them
// in a spreadsheet. A plain link cannot carry the reader's token (api.ts keeps it out of
// URLs), so the page fetches the file with it as a header and hands the browser the file
// once it has all of it: a transfer that breaks off saves nothing, and a half file never
// passes for the event's records.
import { token } from "./api.js";
import { $, h } from "./dom.js";
import { size } from "./format.js";

/**
 * Excel reads a CSV without a byte-order mark in the system's code page (a name in
 * accented letters comes out garbled); with one, as the UTF-8 it is. Other spreadsheets
 * take either.
 */
const BOM = "\ufeff";
/** No bytes for this long: the connection is taken for dead (a phone that lost its network). */
const STALL_MS = 30_000;
/** The progress line changes at most this often: a big file's chunks come by the thousand. */
const PROGRESS_EVERY_MS = 250;
/** What has come is made one Blob every this many bytes: the browser may keep it on disk. */
const FOLD_BYTES = 8_000_000;

/** The file name the server gives (RFC 6266: `filename*` in UTF-8 first), or `fallback`. */
export function savedName(disposition: string | null, fallback: string): string {
  const utf8 = disposition?.match(/filename\*=UTF-8''([^;\s]+)/i)?.[1];
  if (utf8) {
    try {
      return decodeURIComponent(utf8);
    } catch {
      // a malformed escape: the plain name below
    }
  }
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

/** Why a download failed, as the status line says it. */
export class Failed extends Error {}

/**
 * The whole file at `url` (with a byte-order mark before it), or a Failed saying why not;
 * `bytes`: the server's, without the mark.
 */
export async function fetchFile(
  url: URL,
  bearer: string | null,
  onBytes: (n: number) => void = () => {},
): Promise<{ blob: Blob; name: string; bytes: number }> {
  const abort = new AbortController();
  let stall = setTimeout(() => abort.abort(), STALL_MS);
  const headers = new Headers();
  if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
  try {
    let res: Response;
    try {
      res = await fetch(url, { headers, cache: "no-store", signal: abort.signal });
    } catch {
      throw new Failed(
        abort.signal.aborted ? "the server did not answer in time" : "the server could not be reached",
      );
    }
    if (!res.ok || !res.body) {
      const body: unknown = await res.json().catch(() => null);
      const message = (body as { message?: unknown } | null)?.message;
      throw new Failed(
        `the server answered ${res.status}${typeof message === "string" ? `: ${message}` : ""}`,
      );
    }
    // The export is text/csv; a 200 of anything else came from something in between (a
    // Wi-Fi sign-in page), and saved it would pass for the event's records.
    if (!/^text\/csv\b/.test(res.headers.get("Content-Type") ?? "")) {
      await res.body.cancel().catch(() => {});
      throw new Failed("a page that is not this server's answered: a network sign-in?");
    }
    let parts: BlobPart[] = [BOM];
    let bytes = 0;
    let unfolded = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        clearTimeout(stall);
        stall = setTimeout(() => abort.abort(), STALL_MS);
        parts.push(value);
        bytes += value.byteLength;
        unfolded += value.byteLength;
        if (unfolded >= FOLD_BYTES) {
          parts = [new Blob(parts)];
          unfolded = 0;
        }
        onBytes(bytes);
      }
    } catch {
      throw new Failed(`the transfer broke off after ${size(bytes)}`);
    }
    // The export names its file <export>-<event>.csv; a proxy that dropped the header leaves
    // this, made safe as the server makes names (src/export/filename.ts).
    const fallback = `${url.pathname.split("/").pop()}-${url.searchParams.get("event_id")}.csv`.replace(
      /[^A-Za-z0-9._-]/g,
      "_",
    );
    const name = savedName(res.headers.get("Content-Disposition"), fallback);
    return { blob: new Blob(parts, { type: "text/csv" }), name, bytes };
  } finally {
    clearTimeout(stall);
  }
}

/** Hands the browser a file to save, as a click on a download link would. */
function save(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  const link = h("a", { href, download: name, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken its copy by then; the page's goes.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/**
 * The panel's buttons download the export they name (`data-export`) of the event shown.
 * Each download says which event it is of: one started on another event may end while
 * this one is shown. A second click on one under way is said to be one.
 */
export function setUpDownloads(eventId: () => string | null, base: string = document.baseURI): void {
  const status = $("download-status");
  const progress = $("download-progress");
  /** Downloads under way, by event and export; the progress line shows the latest's. */
  const active = new Set<string>();
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-export]")) {
    const kind = button.dataset.export ?? "";
    const what = kind.replaceAll("-", " ");
    button.addEventListener("click", async () => {
      const event = eventId();
      if (event === null) return;
      const key = JSON.stringify([event, kind]);
      if (active.has(key)) {
        status.textContent = `The ${what} of ${event} are downloading already.`;
        return;
      }
      active.add(key);
      status.textContent = `Downloading the ${what} of ${event}…`;
      let shownAt = 0;
      const onBytes = (bytes: number) => {
        if (Date.now() - shownAt < PROGRESS_EVERY_MS) return;
        shownAt = Date.now();
        progress.textContent = `The ${what} of ${event}: ${size(bytes)} so far`;
      };
      const url = new URL(`export/${kind}`, base);
      url.searchParams.set("event_id", event);
      url.searchParams.set("format", "csv");
      try {
        const { blob, name, bytes } = await fetchFile(url, token.get(), onBytes);
        save(blob, name);
        status.textContent = `Saved ${name} (${size(bytes)}).`;
      } catch (err) {
        const why = err instanceof Failed ? err.message : String(err);
        status.textContent = `The ${what} of ${event} were not saved: ${why}. Try again.`;
      } finally {
        active.delete(key);
        if (active.size === 0) progress.textContent = "";
      }
    });
  }
}
