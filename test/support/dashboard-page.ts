// The dashboard (GET /dashboard) as a person reads it, for the browser tests and the
// bench: its headline figures and its gates table, as the page's text shows them, turned
// back into numbers; and an event's records to show, posted over the API.
import type { Page } from "playwright-core";
import type { Api } from "./api.js";

export { TOKEN_KEY } from "../../src/dashboard/api.js";
export { HELD_KEY } from "../../src/dashboard/held.js";

/** "5,760" -> 5760; "12 (2.4/min)" -> 12. */
export const shown = (text: string | null): number => {
  const m = /^\s*([\d,]+)/.exec(text ?? "");
  if (!m?.[1]) throw new Error(`not a figure: ${JSON.stringify(text)}`);
  return Number(m[1].replaceAll(",", ""));
};

/** The headline tiles: label -> figure. */
export async function headline(page: Page): Promise<Record<string, number>> {
  const tiles = await page
    .locator(".tiles .tile")
    .evaluateAll((els) =>
      els.map((el) => [el.querySelector("dt")?.textContent, el.querySelector("dd")?.textContent]),
    );
  return Object.fromEntries(tiles.map(([label, value]) => [String(label), shown(value ?? null)]));
}

export interface ShownRow {
  kind: "gate" | "scanner";
  name: string;
  entries: number;
  last5: number;
  last15: number | null;
  pending: number | null;
  flags: string[];
}

/** The gates table, row by row: each gate, then its scanners. */
export async function gatesTable(page: Page): Promise<ShownRow[]> {
  const rows = await page.locator("#gates tbody tr").evaluateAll((trs) =>
    trs.map((tr) => {
      const head = tr.querySelector("th");
      const flags = Array.from(head?.querySelectorAll(".flag") ?? [], (f) => f.textContent ?? "");
      const name = head?.querySelector(".name")?.textContent ?? "";
      return {
        kind: tr.classList.contains("gate") ? "gate" : "scanner",
        name,
        cells: Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? ""),
        flags,
      };
    }),
  );
  const maybe = (text: string | undefined) =>
    text === undefined || /^\s*(—|)\s*$/.test(text) ? null : shown(text);
  return rows.map((r) => ({
    kind: r.kind as ShownRow["kind"],
    name: r.name,
    entries: shown(r.cells[0] ?? null),
    last5: shown(r.cells[1] ?? null),
    last15: maybe(r.cells[2]),
    pending: maybe(r.cells[5]),
    flags: r.flags,
  }));
}

interface GatesAnswer {
  gates: {
    location: string | null;
    entries: number;
    entries_last_5_min: number;
    entries_last_15_min: number;
    scanners: {
      scanner_id: string | null;
      entries: number;
      entries_last_5_min: number;
      pending: number | null;
    }[];
  }[];
}

/** Names in the page's order: numbers by value ("gate-m-2" before "gate-m-10"), none last. */
const inNameOrder = <T>(items: T[], name: (t: T) => string | null): T[] =>
  [...items].sort((a, b) => {
    const [x, y] = [name(a), name(b)];
    if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0);
    return x.localeCompare(y, undefined, { numeric: true });
  });

/**
 * The rows the table should show for an answer of GET /stats/gates (flags aside): gates and
 * their scanners by name, not the answer's order (by entries, which moves each round).
 */
export function expectedRows(answer: GatesAnswer): Omit<ShownRow, "flags">[] {
  return inNameOrder(answer.gates, (g) => g.location).flatMap((g) => [
    {
      kind: "gate" as const,
      name: g.location ?? "(no gate)",
      entries: g.entries,
      last5: g.entries_last_5_min,
      last15: g.entries_last_15_min,
      pending: null,
    },
    ...inNameOrder(g.scanners, (s) => s.scanner_id).map((s) => ({
      kind: "scanner" as const,
      name: s.scanner_id ?? "(no scanner id)",
      entries: s.entries,
      last5: s.entries_last_5_min,
      last15: null,
      pending: s.pending,
    })),
  ]);
}

/** A resold ticket's id as some platforms write them: long, with no place to break it. */
const RESOLD = "tkt_01JH8ZQ4V7X2M9N3P5R6S8T0WXYZABCDEFGH_resale_0001";

const at = (now: number, secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();

async function ok(res: Promise<Response>): Promise<void> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${r.url}: ${r.status} ${await r.text()}`);
}

/**
 * An evening at the doors, minutes ago: Main Gate's two scanners (gate-m-10, the busier, and
 * gate-m-2, listed first by name and quiet for the
 * last 3 minutes), North Gate's one syncing with a backlog of 7 and its clock 5 minutes
 * behind; two tickets scanned twice,
 * three refused scans, two invalid attempts, two transfers (one failed).
 */
export async function seedDoors(api: Api, event: string, now = Date.now()): Promise<void> {
  const scan = (ticket: string, scanner: string, location: string, secondsAgo: number, valid = true) => ({
    ticket_id: ticket,
    event_id: event,
    scanner_id: scanner,
    location,
    scan_timestamp: at(now, secondsAgo),
    is_valid: valid,
  });
  const posts: Promise<void>[] = [];
  for (let i = 0; i < 5; i++)
    posts.push(
      ok(
        api.call("POST", "/scans", {
          body: scan(`T-m1-${i}`, "gate-m-10", "Main Gate", 60 - i * 8),
          as: "ingest",
        }),
      ),
    );
  for (let i = 0; i < 3; i++)
    posts.push(
      ok(
        api.call("POST", "/scans", {
          body: scan(i === 0 ? RESOLD : `T-m2-${i}`, "gate-m-2", "Main Gate", 200 - i * 5),
          as: "ingest",
        }),
      ),
    );
  posts.push(
    ok(api.call("POST", "/scans", { body: scan("T-m1-0", "gate-m-10", "Main Gate", 20), as: "ingest" })),
  );
  posts.push(
    ok(
      api.call("POST", "/scans", {
        body: scan("T-bad-1", "gate-m-10", "Main Gate", 30, false),
        as: "ingest",
      }),
    ),
  );
  posts.push(
    ok(
      api.call("POST", "/scans", {
        body: scan("T-bad-2", "gate-m-10", "Main Gate", 25, false),
        as: "ingest",
      }),
    ),
  );
  // Its clock is 5 minutes behind (its sent_at says so); the scans' times are the server's.
  const behind = 5 * 60;
  const north = Array.from({ length: 4 }, (_, i) => ({
    ...scan(`T-n1-${i}`, "gate-n-1", "North Gate", 90 - i * 10),
    uuid: crypto.randomUUID(),
  }));
  north.push({ ...scan(RESOLD, "gate-n-1", "North Gate", 40), uuid: crypto.randomUUID() });
  north.push({ ...scan("T-bad-3", "gate-n-1", "North Gate", 35, false), uuid: crypto.randomUUID() });
  posts.push(
    ok(
      api.call("POST", "/sync", {
        as: "ingest",
        body: {
          scanner_id: "gate-n-1",
          sent_at: at(now, behind),
          scans: north,
          device: { pending: 7 },
        },
      }),
    ),
  );
  for (const reason of ["expired_ticket", "not_found"]) {
    posts.push(
      ok(
        api.call("POST", "/invalid-attempts", {
          as: "ingest",
          body: {
            attempt_type: "scan",
            reason,
            event_id: event,
            ticket_id: `T-x-${reason}`,
            ip_address: "10.0.0.9",
            attempt_timestamp: at(now, 50),
          },
        }),
      ),
    );
  }
  for (const ok_ of [true, false]) {
    posts.push(
      ok(
        api.call("POST", "/transfers", {
          as: "ingest",
          body: {
            ticket_id: "T-n1-0",
            event_id: event,
            from_user_id: "u1",
            to_user_id: "u2",
            is_successful: ok_,
            transfer_timestamp: at(now, 3600),
          },
        }),
      ),
    );
  }
  await Promise.all(posts);
}
