// Auth by role, written once and run for every route on every target (DESIGN.md, "Auth"):
// 401 without a token or with one that does not work, 403 for a role that may not, the
// route's own answer for one that may; a refused write stores nothing.
import { expect, it } from "vitest";
import type { Role } from "../../src/auth/roles.js";
import { issueReaderToken } from "../../src/auth/signed-tokens.js";
import { type Api, type Caller, expectEnvelope, freshId } from "./api.js";
import { ZERO_COUNTS } from "./records.js";
import type { RouteCase } from "./routes.js";
import { SIGNING_KEY } from "./tokens.js";

/** Callers whose credentials never work: no token, an unknown one, another scheme, a bad scanner token. */
const UNAUTHENTICATED: Caller[] = [
  "none",
  "wrong",
  "basic",
  "expired-scanner",
  "rotated-scanner",
  "forged-scanner",
];
const ROLES: Caller[] = ["admin", "ingest", "reader", "scanner"];

export function expectedStatus(route: RouteCase, caller: Caller): number {
  if (route.roles === "public") return route.ok;
  if (UNAUTHENTICATED.includes(caller)) return 401;
  if (caller === "admin" || route.roles.includes(caller as Role)) return route.ok;
  return 403;
}

function title(route: RouteCase): string {
  const name = `${route.method} ${route.route}`;
  if (route.roles === "public") return `${name}: ${route.ok} for anyone, with a token or without`;
  const allowed = ROLES.filter((c) => expectedStatus(route, c) === route.ok);
  const forbidden = ROLES.filter((c) => expectedStatus(route, c) === 403);
  return `${name}: 401 without a token or with a bad one, 403 for ${forbidden.join(" and ")}, ${route.ok} for ${allowed.join(" and ")}`;
}

export function authChecks(api: () => Api, routes: RouteCase[]) {
  for (const route of routes) {
    it(title(route), async () => {
      for (const caller of [...UNAUTHENTICATED, ...ROLES]) {
        const e = freshId("auth");
        const res = await api().call(route.method, route.path(e), { body: route.body?.(e), as: caller });
        const want = expectedStatus(route, caller);
        expect({ caller, status: res.status }).toEqual({ caller, status: want });
        if (want === 401) {
          expect(res.headers.get("WWW-Authenticate")).toContain("Bearer");
          await expectEnvelope(res, 401, "unauthorized");
        } else if (want === 403) {
          await expectEnvelope(res, 403, "forbidden");
        } else {
          await res.arrayBuffer();
        }
        if (route.method === "POST" && want !== route.ok) {
          expect({ caller, counts: await api().rawCounts(e) }).toEqual({ caller, counts: ZERO_COUNTS });
        }
      }
    });
  }
}

/** A signed token with its payload's `events` changed and its signature left as it was. */
function withEvents(token: string, events: string[]): string {
  const [head, body, signature] = token.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  return [head, Buffer.from(JSON.stringify({ ...payload, events })).toString("base64url"), signature].join(
    ".",
  );
}

/**
 * Event-scoped reader tokens on every route (DESIGN.md, "Auth"): a route given one of the
 * token's events answers as for any reader; another event, 403; a route spanning events
 * answers (its part: ../http/contract/scope.ts checks what); any other route, 403 as for a
 * role that may not; a token whose scope was altered, 401.
 */
export function scopeChecks(api: () => Api, routes: RouteCase[]) {
  const readable = routes.filter((r) => r.roles !== "public" && r.roles.includes("reader"));
  for (const route of readable) {
    const name = `${route.method} ${route.route}`;
    const title = route.spansEvents
      ? `${name}: ${route.ok} for a reader scoped to any events; 401 with its scope altered`
      : route.path("E").includes("E")
        ? `${name}: ${route.ok} for a reader scoped to the event, 403 for one scoped to others; 401 with its scope altered`
        : `${name}: 403 for a reader scoped to events (it is not about one); 401 with its scope altered`;
    it(title, async () => {
      const e = freshId("scope");
      const [inScope, elsewhere] = await Promise.all([
        issueReaderToken([freshId("scope-other"), e], SIGNING_KEY, { ttlSeconds: 600 }),
        issueReaderToken([freshId("scope-other")], SIGNING_KEY, { ttlSeconds: 600 }),
      ]);
      const aboutOne = route.path(e).includes(e);
      const cases = [
        { who: "in scope", token: inScope, want: aboutOne || route.spansEvents ? route.ok : 403 },
        { who: "out of scope", token: elsewhere, want: route.spansEvents ? route.ok : 403 },
        { who: "scope altered", token: withEvents(elsewhere, [e]), want: 401 },
      ];
      for (const { who, token, want } of cases) {
        const res = await api().call(route.method, route.path(e), { as: { token } });
        expect({ who, status: res.status }).toEqual({ who, status: want });
        if (want === 403) {
          const body = await expectEnvelope(res, 403, "forbidden");
          expect(body.message).toMatch(/^this token reads events /);
        } else if (want === 401) await expectEnvelope(res, 401, "unauthorized");
        else await res.arrayBuffer();
      }
    });
  }
}
