// The cursor of GET /stats/alerts: where the previous page ended, in the listing's order
// (newest first: own time, then kind, then key, each descending). Opaque to clients:
// base64url of a small JSON array, read back strictly (anything else is a 400).
import * as z from "zod";
import { LAST_PLAIN_YEAR_MS } from "../iso-time.js";
import { bytewise } from "../text-order.js";

export const ALERT_KINDS = ["double_entry", "transfer_chain", "invalid_burst"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** An alert's place in the listing: its time (epoch ms), kind and key (a ticket; a burst's key kind and key). */
export interface AlertPlace {
  at: number;
  kind: AlertKind;
  key: string;
}

/** Listing order: negative when `a` comes first (it is newer, or ties and ranks higher). */
export function newestFirst(a: AlertPlace, b: AlertPlace): number {
  return b.at - a.at || ALERT_KINDS.indexOf(b.kind) - ALERT_KINDS.indexOf(a.kind) || bytewise(b.key, a.key);
}

const toBase64Url = (text: string): string => {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};

const fromBase64Url = (text: string): string => {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
    Uint8Array.from(binary, (c) => c.charCodeAt(0)),
  );
};

export const encodeCursor = (p: AlertPlace): string => toBase64Url(JSON.stringify([p.at, p.kind, p.key]));

// A time of year 9999 at the latest (ISO text beyond has an expanded year, which Postgres
// does not read: a 500 there); a double entry's key is a ticket id, which the database compares
// (Postgres text holds no NUL). A burst's key is its key kind, NUL, its key: compared in JS.
const placeTuple = z
  .tuple([z.int().min(0).max(LAST_PLAIN_YEAR_MS), z.enum(ALERT_KINDS), z.string().max(1000)])
  .refine(([, kind, key]) => kind !== "double_entry" || !key.includes("\0"));

/** The `before` query parameter: a cursor this server wrote, else a 400 saying so. */
export const cursorParam = z
  .string()
  .max(2000)
  .transform((text, ctx): AlertPlace => {
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("not base64url");
      const [at, kind, key] = placeTuple.parse(JSON.parse(fromBase64Url(text)));
      return { at, kind, key };
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a cursor from a previous page's `next`" });
      return z.NEVER;
    }
  });
