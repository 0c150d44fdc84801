// The Content-Disposition of an export: `attachment` with a file name a job can save as
// it is: <export>-<event>[-<from>-<to>].<ext>, e.g. scans-event_456-20240115T000000Z-end.csv.
// The event id is made safe for any file system in `filename` (ASCII letters, digits,
// `.`, `_`, `-`; anything else `_`); where that changed a non-ASCII character, `filename*`
// (RFC 6266 / RFC 8187) carries the name in UTF-8 as well, for clients that read it.

/** `2024-01-15T10:30:45.000Z` -> `20240115T103045Z` (ISO 8601 basic; milliseconds only when present). */
function compactTime(d: Date): string {
  return d
    .toISOString()
    .replace(/\.000Z$/, "Z")
    .replace(/[-:]/g, "");
}

/**
 * Outside ASCII, and the characters file systems refuse or a header mangles; and format
 * characters (\p{Cf}: bidi overrides, zero-width joiners), which can make a saved file's
 * name read as another (`scans-\u202Etxt.exe.csv` shows as `scans-vsc.exe.txt`).
 */
const UNSAFE_ASCII = /[^A-Za-z0-9._-]/g;
const UNSAFE_ANYWHERE = /[\p{Cc}\p{Cf}"*/:<>?\\|%]/gu;

/** RFC 8187's attr-char: what encodeURIComponent leaves but the header may not carry. */
const encodeAttr = (s: string) =>
  encodeURIComponent(s).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

export function contentDisposition(
  name: string,
  eventId: string,
  window: { from?: Date | undefined; to?: Date | undefined },
  extension: string,
): string {
  const span =
    window.from || window.to
      ? `-${window.from ? compactTime(window.from) : "start"}-${window.to ? compactTime(window.to) : "end"}`
      : "";
  const file = (event: string) => `${name}-${event}${span}.${extension}`;
  const ascii = file(eventId.replace(UNSAFE_ASCII, "_"));
  // Only a non-ASCII id needs the UTF-8 form: an ASCII one lost only what no file name may hold.
  if (/^[ -~]*$/.test(eventId)) return `attachment; filename="${ascii}"`;
  const utf8 = file(eventId.replace(UNSAFE_ANYWHERE, "_"));
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeAttr(utf8)}`;
}
