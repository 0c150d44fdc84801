// Issues signed tokens (SCANNER_SIGNING_KEY), verified at the edge without a database:
//   npm run token -- scanner <scanner_id> [--days N | --no-expiry]   a gate device's
//   npm run token -- reader --event E [--event E2 ...] [--days N]     an event operator's
//   npm run token -- revoke <scanner_id>      refuses the scanner's tokens issued until now
// Tokens expire (scanners' in 90 days, readers' in 30, unless --days says otherwise): a
// lost device's or a past operator's token must not work forever; --no-expiry issues a
// scanner token that lives until the key rotates, when asked. The token is alone on the
// last line, so scripts can take it with `tail -n 1`.
import { Command, InvalidArgumentError } from "commander";
import { issueReaderToken, issueScannerToken } from "../auth/signed-tokens.js";
import { idString } from "../records.js";

const program = new Command("token").description("issue credentials for the Veritix analytics API");

const days = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number");
  return n;
};

function id(kind: string, value: string): string {
  const parsed = idString.safeParse(value);
  if (!parsed.success) program.error(`invalid ${kind}: ${parsed.error.issues[0]?.message}`);
  return parsed.data as string;
}

function signingKey(): string {
  const key = process.env.SCANNER_SIGNING_KEY;
  if (!key || key.length < 32) {
    program.error("SCANNER_SIGNING_KEY must be set (32+ characters) to issue signed tokens");
  }
  return key as string;
}

const scanner = program
  .command("scanner")
  .description("a token bound to one scanner, for POST /sync and GET /admissions")
  .argument("<scanner_id>", "the gate device's scanner id")
  .option("--days <n>", "expire after this many days", days, 90)
  .option("--no-expiry", "never expire: valid until SCANNER_SIGNING_KEY rotates")
  .action(async (scannerId: string, opts: { days: number; expiry: boolean }) => {
    const key = signingKey();
    const sid = id("scanner id", scannerId);
    if (!opts.expiry && scanner.getOptionValueSource("days") === "cli") {
      program.error("--days and --no-expiry contradict each other: give one");
    }
    const ttlSeconds = opts.expiry ? Math.round(opts.days * 86400) : undefined;
    const token = await issueScannerToken(sid, key, { ttlSeconds });
    console.log(
      `scanner token for ${sid}${ttlSeconds ? `, valid ${opts.days} days` : ", valid until the key rotates"}:`,
    );
    console.log(token);
  });

program
  .command("reader")
  .description("a reader token for some events only: an event operator's (the dashboard, stats, exports)")
  .option(
    "--event <event_id>",
    "an event it may read (repeat for more)",
    (v: string, all: string[]) => [...all, v],
    [] as string[],
  )
  .option("--days <n>", "expire after this many days", days, 30)
  .action(async (opts: { event: string[]; days: number }) => {
    if (opts.event.length === 0)
      program.error("give the events it may read: --event <event_id> (one or more)");
    const key = signingKey();
    const events = opts.event.map((e) => id("event id", e));
    const token = await issueReaderToken(events, key, { ttlSeconds: Math.round(opts.days * 86400) });
    console.log(`reader token for ${[...new Set(events)].join(", ")}, valid ${opts.days} days:`);
    console.log(token);
  });

program
  .command("revoke")
  .description(
    "refuse every token of one scanner issued until now (a lost or stolen device), in the configured database (DATABASE_URL, else SQLITE_PATH); a token issued afterwards works",
  )
  .argument("<scanner_id>", "the gate device's scanner id")
  .action(async (scannerId: string) => {
    const sid = id("scanner id", scannerId);
    // Loaded here: issuing a token needs no database driver.
    const [{ parseConfig }, { openStore }, { databaseTarget, errorMessage }] = await Promise.all([
      import("../config.js"),
      import("../node/store.js"),
      import("../node/database-target.js"),
    ]);
    try {
      const config = parseConfig(process.env);
      const { database, target } = databaseTarget(config);
      const store = await openStore(config);
      try {
        const at = await store.revokeScanner(sid, new Date());
        console.log(
          `scanner ${sid} revoked in ${database} ${target}: its tokens issued before ${at.toISOString()} are refused from now on; issue it a new one with \`npm run token -- scanner ${sid}\``,
        );
        // Revoking ahead of a first sync is allowed (a device lost before it was used), but
        // more often an unknown id is a typo that revoked nothing that matters.
        if (!(await store.deviceHealth()).some((d) => d.scanner_id === sid)) {
          console.error(
            `note: no sync from scanner ${sid} has reached this database; if that is unexpected, check the id (GET /stats/devices lists the scanners seen)`,
          );
        }
      } finally {
        await store.close();
      }
    } catch (err) {
      program.error(`revoking ${sid} failed: ${errorMessage(err)}`);
    }
  });

await program.parseAsync();
