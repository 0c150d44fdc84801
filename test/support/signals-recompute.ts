// The signals recomputed from the raw record tables by plain SQL, written here apart from
// the service's own (which reads its aggregates): the property tests hold
// GET /stats/transfers/summary to this. No runtime imports, like ./entry-flow-recompute.ts.
import type { Dialect, RawQuery } from "./entry-flow-recompute.js";

const n = (v: unknown) => Number(v ?? 0);
const day = (d: Dialect) =>
  d === "pg"
    ? "to_char(transfer_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    : "strftime('%Y-%m-%d', transfer_timestamp / 1000, 'unixepoch')";
const counts =
  "sum(CASE WHEN is_successful THEN 1 ELSE 0 END) AS ok, sum(CASE WHEN is_successful THEN 0 ELSE 1 END) AS ko";

export interface RecomputedTransferSummary {
  successful: number;
  failed: number;
  tickets_transferred: number;
  by_reason: { reason: string | null; successful: number; failed: number }[];
  by_day: { date: string; successful: number; failed: number }[];
}

export async function recomputeTransferSummary(
  d: Dialect,
  q: RawQuery,
  e: string,
): Promise<RecomputedTransferSummary> {
  const [all] = await q(
    `SELECT ${counts}, count(DISTINCT CASE WHEN is_successful THEN ticket_id END) AS tickets
     FROM ticket_transfers WHERE event_id = :e`,
    { e },
  );
  const reasons = await q(
    `SELECT transfer_reason AS reason, ${counts} FROM ticket_transfers WHERE event_id = :e GROUP BY 1`,
    {
      e,
    },
  );
  const days = await q(
    `SELECT ${day(d)} AS date, ${counts} FROM ticket_transfers WHERE event_id = :e GROUP BY 1 ORDER BY 1`,
    {
      e,
    },
  );
  const byReason = reasons.map((r) => ({
    reason: (r.reason as string | null) ?? null,
    successful: n(r.ok),
    failed: n(r.ko),
  }));
  // DESIGN.md: by total descending, then reason (compared as JS strings), no reason last.
  byReason.sort(
    (a, b) =>
      Number(a.reason === null) - Number(b.reason === null) ||
      b.successful + b.failed - a.successful - a.failed ||
      ((a.reason ?? "") < (b.reason ?? "") ? -1 : (a.reason ?? "") > (b.reason ?? "") ? 1 : 0),
  );
  return {
    successful: n(all?.ok),
    failed: n(all?.ko),
    tickets_transferred: n(all?.tickets),
    by_reason: byReason,
    by_day: days.map((r) => ({ date: String(r.date), successful: n(r.ok), failed: n(r.ko) })),
  };
}

// --- GET /stats/alerts ----------------------------------------------------------------

/** The thresholds, in DESIGN.md's units (seconds and counts). */
export interface RecomputeThresholds {
  offlineLagSeconds: number;
  passbackSeconds: number;
  transferChain: number;
  burstCount: number;
}

/** Every alert of an event as JSON answers it (times ISO), newest first, and the summary. */
export interface RecomputedAlerts {
  summary: { double_entry: number; transfer_chain: number; invalid_burst: number };
  alerts: Record<string, unknown>[];
}

const msOf = (d: Dialect, col: string) => (d === "pg" ? `(extract(epoch FROM ${col}) * 1000)::bigint` : col);
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());
// Ties go to the smaller uuid, bytewise (DESIGN.md).
const bytes = (d: Dialect, col: string) => (d === "pg" ? `${col} COLLATE "C"` : col);
/** Bytewise order of JS strings (UTF-8 bytes = code points). */
const cmp = (a: string, b: string) => {
  const [x, y] = [
    [...a].map((c) => c.codePointAt(0) as number),
    [...b].map((c) => c.codePointAt(0) as number),
  ];
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
};
const KIND_RANK: Record<string, number> = { double_entry: 0, transfer_chain: 1, invalid_burst: 2 };

export async function recomputeAlerts(
  d: Dialect,
  q: RawQuery,
  e: string,
  th: RecomputeThresholds,
): Promise<RecomputedAlerts> {
  // Double entries: each ticket's first two valid scans by own time, then uuid.
  const scans = await q(
    `SELECT * FROM (
       SELECT ticket_id, uuid, scanner_id, nullif(location, '') AS location,
         ${msOf(d, "scan_timestamp")} AS at, ${msOf(d, "received_at")} AS received,
         count(*) OVER (PARTITION BY ticket_id) AS n,
         row_number() OVER (PARTITION BY ticket_id ORDER BY scan_timestamp, ${bytes(d, "uuid")}) AS r
       FROM ticket_scans WHERE event_id = :e AND is_valid) AS v
     WHERE n >= 2 AND r <= 2 ORDER BY ticket_id, r`,
    { e },
  );
  const doubles: { key: string; at: number; alert: Record<string, unknown> }[] = [];
  for (let i = 0; i + 1 < scans.length; i += 2) {
    const [a, b] = [scans[i], scans[i + 1]] as Record<string, unknown>[];
    const seen = (s: Record<string, unknown>) => ({
      uuid: s.uuid,
      scanner_id: s.scanner_id ?? null,
      location: s.location ?? null,
      scan_timestamp: iso(s.at),
      received_at: iso(s.received),
    });
    const lateA = n(a?.received) - n(a?.at) > th.offlineLagSeconds * 1000;
    const lateB = n(b?.received) - n(b?.at) > th.offlineLagSeconds * 1000;
    const gap = n(b?.at) - n(a?.at);
    const otherScanner = (a?.scanner_id ?? null) !== (b?.scanner_id ?? null);
    const otherPlace = otherScanner || (a?.location ?? null) !== (b?.location ?? null);
    const offline = lateA || lateB;
    const passback = otherPlace && gap <= th.passbackSeconds * 1000;
    doubles.push({
      key: String(a?.ticket_id),
      at: n(b?.at),
      alert: {
        kind: "double_entry",
        severity: offline && otherScanner ? "high" : passback ? "medium" : "low",
        at: iso(b?.at),
        ticket_id: a?.ticket_id,
        valid_scans: n(a?.n),
        first: seen(a as Record<string, unknown>),
        second: seen(b as Record<string, unknown>),
        gap_seconds: gap / 1000,
        offline,
        passback,
      },
    });
  }

  // Transfer chains: each ticket's successful transfers in time order, then uuid.
  const transfers = await q(
    `SELECT ticket_id, is_successful AS ok, from_user_id, to_user_id, ${msOf(d, "transfer_timestamp")} AS at
     FROM ticket_transfers WHERE event_id = :e ORDER BY ticket_id, transfer_timestamp, ${bytes(d, "uuid")}`,
    { e },
  );
  const byTicket = new Map<string, { ok: Record<string, unknown>[]; failed: number }>();
  for (const t of transfers) {
    const entry = byTicket.get(String(t.ticket_id)) ?? { ok: [], failed: 0 };
    byTicket.set(String(t.ticket_id), entry);
    if (t.ok === true || t.ok === 1) entry.ok.push(t);
    else entry.failed++;
  }
  const chains: typeof doubles = [];
  for (const [ticket, { ok, failed }] of byTicket) {
    const times = ok.map((t) => n(t.at));
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const quick = gaps.findIndex((g) => g <= 600_000);
    const candidates = [
      ...(ok.length >= th.transferChain ? [times[th.transferChain - 1] as number] : []),
      ...(quick >= 0 ? [times[quick + 1] as number] : []),
    ];
    if (candidates.length === 0) continue;
    const at = Math.min(...candidates);
    chains.push({
      key: ticket,
      at,
      alert: {
        kind: "transfer_chain",
        severity: ok.length >= 2 * th.transferChain ? "high" : "medium",
        at: iso(at),
        ticket_id: ticket,
        successful_transfers: ok.length,
        failed_transfers: failed,
        chain: [ok[0]?.from_user_id, ...ok.map((t) => t.to_user_id)].slice(0, 20),
        shortest_gap_seconds: gaps.length ? Math.min(...gaps) / 1000 : null,
      },
    });
  }

  // Invalid bursts: invalid attempts and invalid scans per key and UTC minute.
  const keyed = `
    SELECT 'scanner_id' AS key_kind, scanner_id AS k, ${msOf(d, "scan_timestamp")} AS at, 'invalid_scan' AS reason
      FROM ticket_scans WHERE event_id = :e AND NOT is_valid AND scanner_id IS NOT NULL
    UNION ALL SELECT 'ticket_id', ticket_id, ${msOf(d, "scan_timestamp")}, 'invalid_scan'
      FROM ticket_scans WHERE event_id = :e AND NOT is_valid
    UNION ALL SELECT 'ip_address', ip_address, ${msOf(d, "attempt_timestamp")}, reason
      FROM invalid_attempts WHERE event_id = :e AND ip_address IS NOT NULL
    UNION ALL SELECT 'ticket_id', ticket_id, ${msOf(d, "attempt_timestamp")}, reason
      FROM invalid_attempts WHERE event_id = :e AND ticket_id IS NOT NULL`;
  const minute = "at - at % 60000";
  const groups = await q(
    `SELECT key_kind, k, ${minute} AS minute, reason, count(*) AS c FROM (${keyed}) AS x GROUP BY 1, 2, 3, 4`,
    { e },
  );
  const bursts = new Map<
    string,
    { kind: string; key: string; minute: number; reasons: { reason: string; count: number }[] }
  >();
  for (const g of groups) {
    const id = `${g.key_kind}|${g.k}|${g.minute}`;
    const b = bursts.get(id) ?? {
      kind: String(g.key_kind),
      key: String(g.k),
      minute: n(g.minute),
      reasons: [],
    };
    bursts.set(id, b);
    b.reasons.push({ reason: String(g.reason), count: n(g.c) });
  }
  const burstAlerts: typeof doubles = [];
  for (const b of bursts.values()) {
    const count = b.reasons.reduce((s, r) => s + r.count, 0);
    if (count < th.burstCount) continue;
    burstAlerts.push({
      key: `${b.kind}\u0000${b.key}`,
      at: b.minute,
      alert: {
        kind: "invalid_burst",
        severity: count >= 3 * th.burstCount ? "high" : "medium",
        at: iso(b.minute),
        key_kind: b.kind,
        key: b.key,
        minute: iso(b.minute),
        count,
        reasons: b.reasons.sort((x, y) => y.count - x.count || cmp(x.reason, y.reason)),
      },
    });
  }

  // Newest first; at one time: bursts, then chains, then double entries, each by key descending.
  const all = [...doubles, ...chains, ...burstAlerts].sort(
    (x, y) =>
      y.at - x.at ||
      (KIND_RANK[String(y.alert.kind)] as number) - (KIND_RANK[String(x.alert.kind)] as number) ||
      cmp(y.key, x.key),
  );
  return {
    summary: {
      double_entry: doubles.length,
      transfer_chain: chains.length,
      invalid_burst: burstAlerts.length,
    },
    alerts: all.map((a) => a.alert),
  };
}
