// A timeline's buckets and its size limit: what GET /stats/timeline takes, and what the
// dashboard asks for (src/dashboard/curve.ts). No imports: the page's bundle takes it too.

/** Bucket widths of a timeline, in ms: each a whole number of minutes, aligned since the Unix epoch. */
export const BUCKETS = {
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
  "1d": 86_400_000,
} as const;
export type Bucket = keyof typeof BUCKETS;
export const BUCKET_NAMES = Object.keys(BUCKETS) as Bucket[];

/** The most points one timeline answers: beyond, ask for a wider bucket or a shorter range. */
export const MAX_POINTS = 2000;
