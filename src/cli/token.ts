// Issues a scanner token: `npm run token -- scanner <scanner_id> [--days N | --no-expiry]`.
// Tokens expire (90 days unless --days says otherwise): a lost device's token must not
// work forever; --no-expiry issues one that lives until the key rotates, when asked. The
// token is alone on the last line, so scripts can take it with `tail -n 1`.
import { Command, InvalidArgumentError } from "commander";
import { issueScannerToken } from "../auth/scanner-token.js";
import { idString } from "../records.js";

/** A scanner token's lifetime unless --days or --no-expiry says otherwise. */
const DEFAULT_DAYS = 90;

const program = new Command("token").description("issue credentials for the Veritix analytics API");

program
  .command("scanner")
  .description("a token bound to one scanner, for POST /sync (signed with SCANNER_SIGNING_KEY)")
  .argument("<scanner_id>", "the gate device's scanner id")
  .option(
    "--days <n>",
    "expire after this many days",
    (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number");
      return n;
    },
    DEFAULT_DAYS,
  )
  .option("--no-expiry", "never expire: valid until SCANNER_SIGNING_KEY rotates")
  .action(async (scannerId: string, opts: { days: number; expiry: boolean }) => {
    const key = process.env.SCANNER_SIGNING_KEY;
    if (!key || key.length < 32) {
      program.error("SCANNER_SIGNING_KEY must be set (32+ characters) to issue scanner tokens");
    }
    const id = idString.safeParse(scannerId);
    if (!id.success) program.error(`invalid scanner id: ${id.error.issues[0]?.message}`);
    if (!opts.expiry && program.commands[0]?.getOptionValueSource("days") === "cli") {
      program.error("--days and --no-expiry contradict each other: give one");
    }
    const ttlSeconds = opts.expiry ? Math.round(opts.days * 86400) : undefined;
    const token = await issueScannerToken(id.data as string, key as string, { ttlSeconds });
    console.log(
      `scanner token for ${id.data}${ttlSeconds ? `, valid ${opts.days} days` : ", valid until the key rotates"}:`,
    );
    console.log(token);
  });

await program.parseAsync();
