// Bad queries of the reads: each a 400 in the envelope (DESIGN.md: listings need event_id,
// limit is 1..1000, ids are at most 128 characters, times are ISO 8601 after 1970).
export const LISTINGS = ["/stats/scans", "/stats/transfers", "/stats/invalid-attempts"] as const;

const long = "x".repeat(129);
/** An alert cursor as the server spells one (base64url of its JSON; ASCII here). */
const cursor = (place: unknown[]) =>
  btoa(JSON.stringify(place)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** Each a 400; where `issue` is given, that issue among its issues. */
export const LISTING_QUERY_CASES: [
  name: string,
  query: (e: string) => string,
  issue?: { path: string; message: string },
][] = [
  ["no event_id", () => ""],
  ["limit 0", (e) => `event_id=${e}&limit=0`],
  ["limit 1001", (e) => `event_id=${e}&limit=1001`],
  ["a negative limit", (e) => `event_id=${e}&limit=-5`],
  ["a fractional limit", (e) => `event_id=${e}&limit=1.5`],
  ["a limit that is not a number", (e) => `event_id=${e}&limit=ten`],
  // Digits only: Number() would read these as 16 and 100.
  ["a limit in hex (0x10)", (e) => `event_id=${e}&limit=0x10`],
  ["a limit in exponent form (1e2)", (e) => `event_id=${e}&limit=1e2`],
  ["a before_id of 0", (e) => `event_id=${e}&before_id=0`],
  ["a before_id in hex (0x10)", (e) => `event_id=${e}&before_id=0x10`],
  // Numbers too large for their bound are told so, not called no number.
  [
    "a limit of 20 digits",
    (e) => `event_id=${e}&limit=99999999999999999999`,
    { path: "limit", message: "must be at most 1000" },
  ],
  [
    "a before_id past 2^53",
    (e) => `event_id=${e}&before_id=9007199254740993`,
    { path: "before_id", message: "must be at most 9007199254740991" },
  ],
  [
    "a before_id of 24 digits",
    (e) => `event_id=${e}&before_id=123456789012345678901234`,
    { path: "before_id", message: "must be at most 9007199254740991" },
  ],
  ["an event_id over 128 characters", () => `event_id=${long}`],
  ["a from that does not parse", (e) => `event_id=${e}&from=soon`],
  ["a from in the year 99 (0099-06-15)", (e) => `event_id=${e}&from=0099-06-15T12:00:00Z`],
  // The year 10000 once its offset is applied: Postgres refused it (a 500).
  [
    "a from in the year 10000 by its offset (9999-12-31T23:00:00-08:00)",
    (e) => `event_id=${e}&from=${encodeURIComponent("9999-12-31T23:00:00-08:00")}`,
    { path: "from", message: "must be in the year 9999 or earlier, in UTC" },
  ],
  [
    "a to in the year 10000 by its offset",
    (e) => `event_id=${e}&to=${encodeURIComponent("9999-12-31T23:59:59.999-00:01")}`,
    { path: "to", message: "must be in the year 9999 or earlier, in UTC" },
  ],
  ["a from after its to", (e) => `event_id=${e}&from=2024-06-02T00:00:00Z&to=2024-06-01T00:00:00Z`],
  ["an unknown parameter (from misspelt)", (e) => `event_id=${e}&form=2024-06-01T00:00:00Z`],
  // Decoded leniently, an event_id of U+FFFDs: another event's figures, all zeros.
  [
    "an event_id whose percent-encoding is not UTF-8 (%ED%A0%80)",
    () => "event_id=%ED%A0%80",
    { path: "event_id", message: "must be UTF-8, percent-encoded" },
  ],
];

/** The other reads that take an event_id. */
export const OTHER_QUERY_CASES: [name: string, path: string][] = [
  ["GET /stats with an event_id over 128 characters", `/stats?event_id=${long}`],
  ["GET /stats with an unknown parameter", "/stats?event=E"],
  ["GET /stats/devices with an event_id over 128 characters", `/stats/devices?event_id=${long}`],
  // Misspelt, it would list every device as if they were the event's.
  ["GET /stats/devices with an unknown parameter", "/stats/devices?evnt_id=E"],
  ["GET /stats/transfers/summary without event_id", "/stats/transfers/summary"],
  ["GET /stats/transfers/summary with an unknown parameter", "/stats/transfers/summary?event_id=E&day=1"],
  ["GET /stats/alerts without event_id", "/stats/alerts"],
  [
    "GET /stats/attendance with an event_id that is no percent-encoding (%zz)",
    "/stats/attendance?event_id=E%zz",
  ],
  ["GET /stats/alerts with an unknown kind", "/stats/alerts?event_id=E&kind=fraud"],
  ["GET /stats/alerts with limit 0", "/stats/alerts?event_id=E&limit=0"],
  ["GET /stats/alerts with limit 1001", "/stats/alerts?event_id=E&limit=1001"],
  ["GET /stats/alerts with a limit that is not a number", "/stats/alerts?event_id=E&limit=ten"],
  ["GET /stats/alerts with a limit in hex (0x10)", "/stats/alerts?event_id=E&limit=0x10"],
  ["GET /stats/alerts with a before that is no cursor", "/stats/alerts?event_id=E&before=not-a-cursor"],
  ["GET /stats/alerts with an unknown parameter", "/stats/alerts?event_id=E&before_id=3"],
  // Well-formed cursors this server never writes: a time past what a Date holds, a NUL key.
  [
    "GET /stats/alerts with a cursor beyond all time",
    `/stats/alerts?event_id=E&before=${cursor([9007199254740991, "double_entry", "x"])}`,
  ],
  // Year 10000: ISO text with an expanded year ("+010000-…"), which Postgres does not read.
  [
    "GET /stats/alerts with a cursor of the year 10000",
    `/stats/alerts?event_id=E&before=${cursor([253402300800000, "double_entry", "x"])}`,
  ],
  [
    "GET /stats/alerts with a cursor whose key holds NUL",
    `/stats/alerts?event_id=E&before=${cursor([1, "double_entry", "\u0000"])}`,
  ],
  ["GET /admissions/{ticket_id} without event_id", "/admissions/T-1"],
  ["GET /admissions/{ticket_id} with an unknown parameter", "/admissions/T-1?event_id=E&gate=North"],
  ["GET /admissions/{ticket_id} with a ticket_id over 128 characters", `/admissions/${long}?event_id=E`],
  ["GET /admissions/{ticket_id} with an empty event_id", "/admissions/T-1?event_id="],
  ["GET /admissions/{ticket_id} whose ticket_id is no percent-encoding (%zz)", "/admissions/T%zz?event_id=E"],
  [
    "GET /admissions/{ticket_id} whose ticket_id is not UTF-8 (%ED%A0%80)",
    "/admissions/%ED%A0%80?event_id=E",
  ],
];
