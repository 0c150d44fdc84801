// A typed client of the API for TypeScript callers (services, jobs, a browser page): Hono's
// RPC client over the app's own type, so every route, query, body and answer is checked
// at compile time against the server it talks to. It imports nothing of the server at run
// time (AppType is a type), only hono/client: small enough for a browser bundle.
//
//   const api = veritixClient("https://analytics.example.com", { token });
//   const res = await api.scans.$post({ json: { ticket_id: "t1", event_id: "e1" } });
//   if (res.status === 201) console.log((await res.json()).id);
import { type ClientRequestOptions, hc } from "hono/client";
import type { AppType } from "./app.js";

export type { AppType } from "./app.js";

export interface VeritixClientOptions extends ClientRequestOptions {
  /** A bearer token (API_TOKENS, or a scanner's token); sent on every request. */
  token?: string;
}

export function veritixClient(baseUrl: string, { token, headers, ...options }: VeritixClientOptions = {}) {
  return hc<AppType>(baseUrl, {
    ...options,
    headers: async () => ({
      ...(typeof headers === "function" ? await headers() : headers),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    }),
  });
}

export type VeritixClient = ReturnType<typeof veritixClient>;
