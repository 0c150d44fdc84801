// The entry flow recomputed from the raw record tables by plain SQL, written here apart
// from the service's own (which reads its aggregates): the property tests hold every
// figure of GET /stats/attendance, /stats/timeline and /stats/gates to these.
// No runtime imports: any target's database can run them (pg, better-sqlite3, D1's file).

export type Dialect = "pg" | "sqlite";

/** Runs one query with named values (`:name` in the text) and answers its rows. */
export type RawQuery = (text: string, values: Record<string, unknown>) => Promise<Record<string, unknown>[]>;

/** A database read apart from the code under test: its dialect and a way to query it. */
export interface RawDatabase {
  dialect: Dialect;
  query: RawQuery;
}

/** A time column as epoch ms. */
const ms = (d: Dialect, col: string) => (d === "pg" ? `(extract(epoch FROM ${col}) * 1000)::bigint` : col);
const byUuid = (d: Dialect) => (d === "pg" ? 'uuid COLLATE "C"' : "uuid");

/** Each admitted ticket's first entry: its earliest valid scan by own time, then uuid. */
const firsts = (d: Dialect) => `SELECT ticket_id, ms, location, scanner_id FROM (
  SELECT ticket_id, ${ms(d, "scan_timestamp")} AS ms, nullif(location, '') AS location, scanner_id,
    row_number() OVER (PARTITION BY ticket_id ORDER BY scan_timestamp, ${byUuid(d)}) AS r
  FROM ticket_scans WHERE event_id = :e AND is_valid) AS v WHERE r = 1`;

const n = (v: unknown) => Number(v ?? 0);
const time = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());

export interface RecomputedAttendance {
  admitted_count: number;
  valid_scan_count: number;
  repeat_scan_count: number;
  invalid_scan_count: number;
  first_entry_at: string | null;
  last_entry_at: string | null;
  peak: { minute: string; entries: number } | null;
}

export async function recomputeAttendance(d: Dialect, q: RawQuery, e: string): Promise<RecomputedAttendance> {
  const [c] = await q(
    `SELECT
      (SELECT count(DISTINCT ticket_id) FROM ticket_scans WHERE event_id = :e AND is_valid) AS admitted,
      (SELECT count(*) FROM ticket_scans WHERE event_id = :e AND is_valid) AS valid,
      (SELECT count(*) FROM ticket_scans WHERE event_id = :e AND NOT is_valid) AS invalid,
      (SELECT min(ms) FROM (${firsts(d)}) AS f) AS first_at,
      (SELECT max(ms) FROM (${firsts(d)}) AS f) AS last_at`,
    { e },
  );
  const [peak] = await q(
    `SELECT ms - ms % 60000 AS minute, count(*) AS entries FROM (${firsts(d)}) AS f
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    { e },
  );
  return {
    admitted_count: n(c?.admitted),
    valid_scan_count: n(c?.valid),
    repeat_scan_count: n(c?.valid) - n(c?.admitted),
    invalid_scan_count: n(c?.invalid),
    first_entry_at: time(c?.first_at),
    last_entry_at: time(c?.last_at),
    peak: peak ? { minute: time(peak.minute) as string, entries: n(peak.entries) } : null,
  };
}

export interface RecomputedAdmission {
  admitted: boolean;
  valid_scans: number;
  first_entry: { scan_timestamp: string; scanner_id: string | null; location: string | null } | null;
}

/** GET /admissions/{ticket} for every ticket with a scan (valid or not) at the event. */
export async function recomputeAdmissions(
  d: Dialect,
  q: RawQuery,
  e: string,
): Promise<Map<string, RecomputedAdmission>> {
  const rows = await q(
    `SELECT t.ticket_id, t.valid, f.ms, f.location, f.scanner_id FROM (
       SELECT ticket_id, sum(CASE WHEN is_valid THEN 1 ELSE 0 END) AS valid
       FROM ticket_scans WHERE event_id = :e GROUP BY ticket_id) AS t
     LEFT JOIN (${firsts(d)}) AS f ON f.ticket_id = t.ticket_id`,
    { e },
  );
  return new Map(
    rows.map((r) => [
      String(r.ticket_id),
      {
        admitted: n(r.valid) > 0,
        valid_scans: n(r.valid),
        first_entry:
          r.ms === null || r.ms === undefined
            ? null
            : {
                scan_timestamp: time(r.ms) as string,
                scanner_id: (r.scanner_id as string | null) ?? null,
                location: (r.location as string | null) ?? null,
              },
      },
    ]),
  );
}

export interface RecomputedPoint {
  entries: number;
  valid_scans: number;
  invalid_scans: number;
  invalid_attempts: number | null;
}

/**
 * Per bucket start (ISO) with anything in it: first entries, valid and invalid scans, and
 * invalid attempts (null with a gate or scanner filter); also the earliest and latest own
 * time of any scan or attempt of the event (ms), for the default range.
 */
export async function recomputeTimeline(
  d: Dialect,
  q: RawQuery,
  e: string,
  bucketMs: number,
  filter: { location?: string; scanner_id?: string } = {},
) {
  const where: string[] = [];
  if (filter.location !== undefined) where.push("coalesce(location, '') = :location");
  if (filter.scanner_id !== undefined) where.push("scanner_id = :scanner");
  const and = where.length ? ` AND ${where.join(" AND ")}` : "";
  const values = { e, location: filter.location ?? null, scanner: filter.scanner_id ?? null };
  const b = String(bucketMs);
  const scans = await q(
    `SELECT ${ms(d, "scan_timestamp")} - ${ms(d, "scan_timestamp")} % ${b} AS t,
       sum(CASE WHEN is_valid THEN 1 ELSE 0 END) AS valid, sum(CASE WHEN is_valid THEN 0 ELSE 1 END) AS invalid
     FROM ticket_scans WHERE event_id = :e${and} GROUP BY 1`,
    values,
  );
  const entries = await q(
    `SELECT ms - ms % ${b} AS t, count(*) AS entries FROM (${firsts(d)}) AS f
     WHERE true${and} GROUP BY 1`,
    values,
  );
  const attempts = await q(
    `SELECT ${ms(d, "attempt_timestamp")} - ${ms(d, "attempt_timestamp")} % ${b} AS t, count(*) AS attempts
     FROM invalid_attempts WHERE event_id = :e GROUP BY 1`,
    values,
  );
  const [span] = await q(
    `SELECT min(x) AS first, max(x) AS last FROM (
       SELECT ${ms(d, "scan_timestamp")} AS x FROM ticket_scans WHERE event_id = :e
       UNION ALL SELECT ${ms(d, "attempt_timestamp")} FROM invalid_attempts WHERE event_id = :e) AS a`,
    values,
  );
  const filtered = where.length > 0;
  const points = new Map<string, RecomputedPoint>();
  const at = (t: unknown) => {
    const key = time(t) as string;
    let p = points.get(key);
    if (!p) {
      p = { entries: 0, valid_scans: 0, invalid_scans: 0, invalid_attempts: filtered ? null : 0 };
      points.set(key, p);
    }
    return p;
  };
  for (const r of scans) Object.assign(at(r.t), { valid_scans: n(r.valid), invalid_scans: n(r.invalid) });
  for (const r of entries) at(r.t).entries = n(r.entries);
  if (!filtered) for (const r of attempts) at(r.t).invalid_attempts = n(r.attempts);
  return {
    points,
    first: span?.first === null || span?.first === undefined ? null : n(span.first),
    last: span?.last === null || span?.last === undefined ? null : n(span.last),
  };
}

export interface RecomputedScanner {
  location: string | null;
  scanner_id: string | null;
  entries: number;
  valid_scans: number;
  invalid_scans: number;
  last_scan_at: string;
  entries_last_5_min: number;
  entries_last_15_min: number;
}

/** Per gate and scanner: the figures of GET /stats/gates (device health aside), with `now` for the windows. */
export async function recomputeGateScanners(
  d: Dialect,
  q: RawQuery,
  e: string,
  now: number,
): Promise<RecomputedScanner[]> {
  const rows = await q(
    `SELECT s.location, s.scanner_id, s.valid, s.invalid, s.last, coalesce(f.entries, 0) AS entries,
       coalesce(f.last5, 0) AS last5, coalesce(f.last15, 0) AS last15
     FROM (SELECT nullif(location, '') AS location, scanner_id,
             sum(CASE WHEN is_valid THEN 1 ELSE 0 END) AS valid, sum(CASE WHEN is_valid THEN 0 ELSE 1 END) AS invalid,
             max(${ms(d, "scan_timestamp")}) AS last
           FROM ticket_scans WHERE event_id = :e GROUP BY 1, 2) AS s
     LEFT JOIN (SELECT location, scanner_id, count(*) AS entries,
             sum(CASE WHEN ms > CAST(:now AS BIGINT) - 300000 AND ms <= CAST(:now AS BIGINT) THEN 1 ELSE 0 END) AS last5,
             sum(CASE WHEN ms > CAST(:now AS BIGINT) - 900000 AND ms <= CAST(:now AS BIGINT) THEN 1 ELSE 0 END) AS last15
           FROM (${firsts(d)}) AS f GROUP BY 1, 2) AS f
       ON f.location IS NOT DISTINCT FROM s.location AND f.scanner_id IS NOT DISTINCT FROM s.scanner_id`,
    { e, now },
  );
  return rows.map((r) => ({
    location: (r.location as string | null) ?? null,
    scanner_id: (r.scanner_id as string | null) ?? null,
    entries: n(r.entries),
    valid_scans: n(r.valid),
    invalid_scans: n(r.invalid),
    last_scan_at: time(r.last) as string,
    entries_last_5_min: n(r.last5),
    entries_last_15_min: n(r.last15),
  }));
}

/** `:name` placeholders as the dialect binds them: pg's $1..., SQLite's @name. */
export function bindNamed(d: Dialect, text: string, values: Record<string, unknown>) {
  if (d === "sqlite") return { text: text.replace(/(?<!:):([a-z]\w*)/g, "@$1"), values };
  const names: string[] = [];
  const out = text.replace(/(?<!:):([a-z]\w*)/g, (_, name: string) => {
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text: out, values: names.map((name) => values[name]) };
}
