// Every route of the API with a valid request and who may call it (DESIGN.md, "Auth"):
// the table the shared auth checks (./auth-checks.ts) run through, on every target.
import type { Role } from "../../src/auth/roles.js";
import { SCANNER } from "./api.js";
import { SPEC, syncBody, syncScan } from "./records.js";

export interface RouteCase {
  method: "GET" | "POST";
  /** The route as DESIGN.md names it, with the query that matters. */
  route: string;
  /** Which file of src/routes serves it. */
  resource:
    | "health"
    | "ingest"
    | "stats"
    | "attendance"
    | "admissions"
    | "signals"
    | "sync"
    | "export"
    | "admin";
  /** A valid request for event `e`. */
  path(e: string): string;
  body?(e: string): unknown;
  /** Who may call it; "public": anyone, token or not. `admin` may call everything. */
  roles: Role[] | "public";
  /** The status of a valid request by a caller who may make it. */
  ok: number;
  /**
   * Reads every event (no `event_id`): an event-scoped reader gets its own events' part.
   * Other routes without `event_id` are out of such a reader's reach.
   */
  spansEvents?: true;
}

const get = (
  resource: RouteCase["resource"],
  route: string,
  path: (e: string) => string,
  roles: RouteCase["roles"] = ["reader"],
): RouteCase => ({ method: "GET", resource, route, path, roles, ok: 200 });

const record = (route: "/scans" | "/transfers" | "/invalid-attempts", body: (e: string) => unknown) =>
  ({
    method: "POST",
    resource: "ingest",
    route,
    path: () => route,
    body,
    roles: ["ingest"],
    ok: 201,
  }) satisfies RouteCase;

export const ROUTES: RouteCase[] = [
  get("health", "/health", () => "/health", "public"),
  get("health", "/metrics", () => "/metrics"),
  { ...get("stats", "/stats", () => "/stats"), spansEvents: true },
  get("stats", "/stats?event_id=", (e) => `/stats?event_id=${e}`),
  get("stats", "/stats/scans?event_id=", (e) => `/stats/scans?event_id=${e}`),
  get("stats", "/stats/transfers?event_id=", (e) => `/stats/transfers?event_id=${e}`),
  get("stats", "/stats/invalid-attempts?event_id=", (e) => `/stats/invalid-attempts?event_id=${e}`),
  get("attendance", "/stats/attendance?event_id=", (e) => `/stats/attendance?event_id=${e}`),
  get("attendance", "/stats/timeline?event_id=", (e) => `/stats/timeline?event_id=${e}&bucket=1h`),
  get("attendance", "/stats/gates?event_id=", (e) => `/stats/gates?event_id=${e}`),
  get("admissions", "/admissions/{ticket_id}?event_id=", (e) => `/admissions/T-1?event_id=${e}`, [
    "scanner",
    "reader",
  ]),
  get("signals", "/stats/alerts?event_id=", (e) => `/stats/alerts?event_id=${e}`),
  get("signals", "/stats/transfers/summary?event_id=", (e) => `/stats/transfers/summary?event_id=${e}`),
  { ...get("sync", "/stats/devices", () => "/stats/devices"), spansEvents: true },
  get("sync", "/stats/devices?event_id=", (e) => `/stats/devices?event_id=${e}`),
  get("export", "/export/scans?event_id=", (e) => `/export/scans?event_id=${e}`),
  get("export", "/export/transfers?event_id=", (e) => `/export/transfers?event_id=${e}&format=csv`),
  get("export", "/export/invalid-attempts?event_id=", (e) => `/export/invalid-attempts?event_id=${e}`),
  record("/scans", (e) => ({ ...SPEC.scan, event_id: e })),
  record("/transfers", (e) => ({ ...SPEC.transfer, event_id: e })),
  record("/invalid-attempts", (e) => ({ ...SPEC.invalidAttempt, event_id: e })),
  {
    method: "POST",
    resource: "sync",
    route: "/sync",
    path: () => "/sync",
    // The scanner caller's own batch: its token may upload it.
    body: (e) => syncBody(SCANNER, { scans: [syncScan(e)] }),
    roles: ["scanner", "ingest"],
    ok: 200,
  },
  {
    method: "POST",
    resource: "admin",
    route: "/admin/revocations",
    path: () => "/admin/revocations",
    // A scanner of the test's own: revoking SCANNER would refuse the other tests' tokens.
    body: (e) => ({ scanner_id: `revoked-${e}` }),
    roles: [],
    ok: 200,
  },
];

/** The routes of one file of src/routes. */
export const routesOf = (resource: RouteCase["resource"]) => ROUTES.filter((r) => r.resource === resource);

/**
 * The table as a target serves it: GET /metrics is Prometheus text where the process can
 * be scraped (Node); elsewhere (Workers: Analytics Engine) it is a 404, after auth.
 */
export const routesServedBy = (target: { prometheus: boolean }): RouteCase[] =>
  ROUTES.map((r) => (r.route === "/metrics" && !target.prometheus ? { ...r, ok: 404 } : r));
