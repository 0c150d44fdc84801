// GET /stats/timeline: an event's entry flow over time, every bucket of the range present
// (zeros included), oldest first. The store sums its minutes per bucket; this settles the
// range (the given bounds aligned, or the event's own span) and fills the gaps.
import { AppError, validationError } from "../errors.js";
import { isoTimeOfMs, LAST_PLAIN_YEAR_MS } from "../iso-time.js";
import type { Store } from "../store/types.js";
import { BUCKET_NAMES, BUCKETS, MAX_POINTS } from "./buckets.js";
import type { TimelineQuery } from "./queries.js";

const floor = (ms: number, width: number) => ms - (ms % width);
const ceil = (ms: number, width: number) => floor(ms + width - 1, width);

/** Times as ISO text (../iso-time.ts): an answer holds up to 2000 of them. */
export interface TimelinePoint {
  t: string;
  entries: number;
  valid_scans: number;
  invalid_scans: number;
  invalid_attempts: number | null;
}

export interface Timeline {
  event_id: string;
  bucket: TimelineQuery["bucket"];
  from: string | null;
  to: string | null;
  points: TimelinePoint[];
}

/** The 400 of a range with too many points, naming the narrowest bucket that would fit. */
function tooManyPoints(q: TimelineQuery, from: number, to: number, points: number): AppError {
  const fits = BUCKET_NAMES.find(
    (b) => (ceil(to, BUCKETS[b]) - floor(from, BUCKETS[b])) / BUCKETS[b] <= MAX_POINTS,
  );
  const range = `${new Date(from).toISOString()} to ${new Date(to).toISOString()}`;
  const advice = fits
    ? `ask for bucket=${fits} or a shorter range (from, to)`
    : "ask for a shorter range (from, to)";
  return new AppError(
    "validation_failed",
    `${points} points of ${q.bucket} from ${range}: at most ${MAX_POINTS} per answer; ${advice}`,
    [{ path: q.from || q.to ? "from" : "bucket", message: `at most ${MAX_POINTS} points; ${advice}` }],
  );
}

export async function timeline(store: Store, q: TimelineQuery): Promise<Timeline> {
  const width = BUCKETS[q.bucket];
  // The event's own span, needed only for a bound the query left out.
  const span = q.from && q.to ? null : await store.activitySpan(q.event_id);
  let from = q.from ? floor(q.from.getTime(), width) : span ? floor(span.first.getTime(), width) : null;
  let to = q.to ? ceil(q.to.getTime(), width) : span ? ceil(span.last.getTime(), width) : null;
  const empty = { event_id: q.event_id, bucket: q.bucket, points: [] };
  if (from === null && to === null) return { ...empty, from: null, to: null };
  // One bound given, the event without records: an empty range at it. A given bound beyond
  // the event's own span (a `from` after its end, a `to` before its start): the same, at
  // the bound given. Equal given bounds ask for nothing, whatever the rounding would make.
  from ??= to as number;
  to ??= from;
  if (to < from) {
    if (q.to && !q.from) from = to;
    else to = from;
  }
  if (q.from && q.to && q.from.getTime() === q.to.getTime()) to = from;
  // A `to` of year 9999's last bucket ceils into year 10000, whose ISO text ("+010000-…")
  // no client reads as a time.
  if (to > LAST_PLAIN_YEAR_MS)
    throw validationError([{ path: "to", message: `its ${q.bucket} bucket ends after the year 9999` }]);
  const points = (to - from) / width;
  if (points > MAX_POINTS) throw tooManyPoints(q, from, to, points);
  const filtered = q.location !== undefined || q.scanner_id !== undefined;
  const buckets = await store.timelineBuckets({
    event_id: q.event_id,
    bucketMs: width,
    from: new Date(from),
    to: new Date(to),
    location: q.location,
    scanner_id: q.scanner_id,
  });
  const byStart = new Map(buckets.map((b) => [b.t, b]));
  const out: TimelinePoint[] = [];
  for (let t = from; t < to; t += width) {
    const b = byStart.get(t);
    out.push({
      t: isoTimeOfMs(t),
      entries: b?.entries ?? 0,
      valid_scans: b?.valid_scans ?? 0,
      invalid_scans: b?.invalid_scans ?? 0,
      // Invalid attempts have no gate or scanner: a filtered timeline cannot count them.
      invalid_attempts: filtered ? null : (b?.invalid_attempts ?? 0),
    });
  }
  return { ...empty, from: isoTimeOfMs(from), to: isoTimeOfMs(to), points: out };
}
