// What the entry-flow benchmark seeds, the same on both databases: an event whose doors
// have been open for six hours up to the moment of seeding, with many scans, and one with
// few of the same shape (the same gates, scanners and hours; tickets in proportion).
// Each ticket arrives once, at a time spread evenly over the six hours (tickets in a
// shuffled order), and is scanned again at times between its arrival and now (re-entries),
// so first entries keep coming until now: the gates' "last 5/15 minutes" have work to do.

export const SPAN_MS = 6 * 3_600_000;
export const GATES = 20;
/** Scanner s stands at gate s % GATES: four scanners per gate, each at one gate. */
export const SCANNERS = 80;
/** Tickets per scan: 300,000 tickets for 1,000,000 scans (~3.3 scans each). */
export const TICKETS_PER_SCAN = 0.3;

export interface FlowEvent {
  id: string;
  scans: number;
  tickets: number;
  /** uuids of this event's scans start here (unique across events). */
  offset: number;
}

export interface EntryFlowPlan {
  big: FlowEvent;
  small: FlowEvent;
  /** The scans' own times lie in [endMs - SPAN_MS, endMs). */
  endMs: number;
}

/** The two events; `ticketsPerScan` below 1 scans the first tickets again (all of them at 0.5 or less). */
export function entryFlowPlan(
  bigScans: number,
  endMs: number,
  ticketsPerScan = TICKETS_PER_SCAN,
): EntryFlowPlan {
  const event = (id: string, scans: number, offset: number): FlowEvent => ({
    id,
    scans,
    tickets: Math.max(1, Math.round(scans * ticketsPerScan)),
    offset,
  });
  return { big: event("flow-big", bigScans, 0), small: event("flow-small", 1_000, bigScans), endMs };
}

export const flowEvents = (plan: EntryFlowPlan) => [plan.big, plan.small];

/**
 * A SELECT over `source` (a relation with a column `n`, 0 ... scans - 1) giving each scan of
 * `e` its `n`, `ticket` and `scanner` numbers, `at_ms` (its own time, ms after the start)
 * and `valid` (~2% invalid), in integer arithmetic that both dialects read alike. Scan n is
 * the k-th of ticket t = n % tickets (k = n / tickets): the first at the ticket's arrival,
 * the others at times between it and the end; scanner (t + 13k) % SCANNERS.
 */
export function shapedScans(e: FlowEvent, source: string): string {
  const t = `(n % ${e.tickets})`;
  const k = `(n / ${e.tickets})`;
  const arrival = `((${t} * 7919) % ${e.tickets} * ${SPAN_MS} / ${e.tickets})`;
  return (
    `SELECT n, ${t} AS ticket, (${t} + ${k} * 13) % ${SCANNERS} AS scanner, ` +
    `${arrival} + CASE WHEN ${k} = 0 THEN 0 ELSE (n * 7919) % (${SPAN_MS} - ${arrival}) END AS at_ms, ` +
    `(n % 47) <> 0 AS valid FROM ${source}`
  );
}

/** The SQL of each shaped scan's columns that both dialects share (after its own time and uuid). */
export const SHARED_COLUMNS = {
  ticket: "'T-' || ticket",
  scanner: "'scanner-' || scanner",
  location: `'Gate ' || (scanner % ${GATES})`,
};

/** What the raw rows of an event say, for the seed's sanity check. */
export interface RawCounts {
  /** count(DISTINCT ticket_id) of its valid scans. */
  admitted: number;
  scans: number;
}

/** Per event: `event_id`, `admitted` and `scans` of its raw rows (is_valid: boolean or 0/1). */
export const RAW_COUNTS =
  "SELECT event_id, count(DISTINCT CASE WHEN is_valid THEN ticket_id END) AS admitted, count(*) AS scans " +
  "FROM ticket_scans GROUP BY event_id";

/** The rows of RAW_COUNTS by event (drivers answer counts as numbers or as bigint text). */
export const rawCounts = (rows: Record<string, unknown>[]) =>
  new Map<string, RawCounts>(
    rows.map((r) => [String(r.event_id), { admitted: Number(r.admitted), scans: Number(r.scans) }]),
  );
