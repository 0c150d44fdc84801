// Auth by role, written once and run for every route on every target (DESIGN.md, "Auth"):
// 401 without a token or with one that does not work, 403 for a role that may not, the
// route's own answer for one that may; a refused write stores nothing.
import { expect, it } from "vitest";
import type { Role } from "../../src/auth/roles.js";
import { type Api, type Caller, expectEnvelope, freshId } from "./api.js";
import { ZERO_COUNTS } from "./records.js";
import type { RouteCase } from "./routes.js";

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
