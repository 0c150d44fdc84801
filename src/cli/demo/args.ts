// The demo command's arguments (node:util parseArgs), checked before anything is opened.
import { parseArgs } from "node:util";
import { idString } from "../../records.js";
import { eveningOf, parseDate } from "./evening.js";
import { DEMO_DEFAULTS, type DemoOptions } from "./generate.js";

export const MAX_SCANS = 1_000_000;

export const DEMO_USAGE = `Usage: npm run demo -- [options]

Loads a demo event (an evening of doors at a venue: gate scans, refused scans, ticket
transfers in the weeks before, invalid attempts) into the configured database:
Postgres when DATABASE_URL is set, else the SQLite file SQLITE_PATH
(default ./data/veritix-analytics.db). Migrations are applied first if needed.

Options:
  --event-id ID      event id of the demo (default ${DEMO_DEFAULTS.eventId})
  --scans N          gate scans in all, 1..${MAX_SCANS} (default ${DEMO_DEFAULTS.scans});
                     transfers and invalid attempts scale with it
  --seed N           seed of the generator (default ${DEMO_DEFAULTS.seed})
  --date YYYY-MM-DD  UTC date of the evening (doors 18:00-21:30, over by 23:00); it must
                     be over. Default: today's evening if over, else yesterday's
  -h, --help         this help

The same --seed, --event-id and --scans always give the same records with the same
uuids, so running it again stores nothing twice (whatever the date).
Exit status: 0 done, 1 failed, 2 bad arguments.`;

export class UsageError extends Error {}

export interface DemoArgs {
  help: boolean;
  options: DemoOptions;
}

export function parseDemoArgs(argv: string[], now = new Date()): DemoArgs {
  let values: { "event-id"?: string; scans?: string; seed?: string; date?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        "event-id": { type: "string" },
        scans: { type: "string" },
        seed: { type: "string" },
        date: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const options: DemoOptions = {};
  if (values["event-id"] !== undefined) {
    const id = idString.safeParse(values["event-id"]);
    if (!id.success) throw new UsageError(`--event-id ${id.error.issues[0]?.message ?? "is invalid"}`);
    options.eventId = id.data;
  }
  if (values.scans !== undefined) {
    const n = /^\d+$/.test(values.scans) ? Number(values.scans) : Number.NaN;
    if (!(n >= 1 && n <= MAX_SCANS))
      throw new UsageError(`--scans must be an integer from 1 to ${MAX_SCANS}`);
    options.scans = n;
  }
  if (values.seed !== undefined) {
    const n = /^-?\d+$/.test(values.seed) ? Number(values.seed) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw new UsageError("--seed must be an integer");
    options.seed = n;
  }
  if (values.date !== undefined) {
    const date = parseDate(values.date);
    if (!date) throw new UsageError("--date must be a calendar date written YYYY-MM-DD");
    if (eveningOf(date).end.getTime() > now.getTime()) {
      throw new UsageError(`--date ${date}: that evening is not over yet (the demo only records the past)`);
    }
    options.date = date;
  }
  return { help: values.help === true, options };
}
