// The analytics server's base URL, from what a device is configured with: SYNC_URL is
// documented as the base URL, but one ending in /sync (the uploader's endpoint) is common
// and means the same server.
import { SyncFatal } from "./errors.js";

export function serverBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SyncFatal(`not a URL: ${JSON.stringify(url)} (expected e.g. http://10.0.0.5:8787)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new SyncFatal(`the sync URL must be http:// or https://, not ${parsed.protocol}`);
  }
  return parsed
    .toString()
    .replace(/\/+$/, "")
    .replace(/\/sync$/, "");
}
