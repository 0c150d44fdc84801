// Reading the server's answers: a 2xx body counts only if it has the expected shape (a
// captive portal's 200 page does not), and an error answer is told as one line.
import type * as z from "zod";
import type { HttpAnswer } from "./http-request.js";

/** The body as `schema` reads it, or null when it is not JSON of that shape. */
export function parseAnswer<S extends z.ZodType>(schema: S, text: string): z.output<S> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The server's error envelope, as one line: "unauthorized: invalid token (request abc)". */
export function describeError(answer: HttpAnswer): string {
  const { status, text } = answer;
  let what = text.trim().slice(0, 200) || "no body";
  let id = answer.header("x-request-id");
  try {
    const e = JSON.parse(text) as { error?: string; message?: string; request_id?: string };
    if (e.message) what = `${e.error ?? status}: ${e.message}`;
    id ??= e.request_id ?? null;
  } catch {
    // Not the envelope (a proxy's page): its first characters are the best clue.
  }
  return `${what}${id ? ` (request ${id})` : ""}`;
}

/** What to do about a 401, with or without a token sent. */
export function tokenHint(sentToken: boolean): string {
  return sentToken
    ? "the token is wrong, expired or revoked (signing key rotated): issue a new one with `npm run token -- scanner <id>`"
    : "the server requires a token: pass --token or set SYNC_TOKEN";
}
