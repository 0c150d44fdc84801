// Issues a scanner token: `npm run token -- scanner <scanner_id> [--days N]`. The token is
// alone on the last line, so scripts can take it with `tail -n 1`.
import { Command, InvalidArgumentError } from "commander";
import { issueScannerToken } from "../auth/scanner-token.js";
import { idString } from "../records.js";

const program = new Command("token").description("issue credentials for the Veritix analytics API");

program
  .command("scanner")
  .description("a token bound to one scanner, for POST /sync (signed with SCANNER_SIGNING_KEY)")
  .argument("<scanner_id>", "the gate device's scanner id")
  .option("--days <n>", "expire after this many days (default: valid until the key rotates)", (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number");
    return n;
  })
  .action(async (scannerId: string, opts: { days?: number }) => {
    const key = process.env.SCANNER_SIGNING_KEY;
    if (!key || key.length < 32) {
      program.error("SCANNER_SIGNING_KEY must be set (32+ characters) to issue scanner tokens");
    }
    const id = idString.safeParse(scannerId);
    if (!id.success) program.error(`invalid scanner id: ${id.error.issues[0]?.message}`);
    const ttlSeconds = opts.days ? Math.round(opts.days * 86400) : undefined;
    const token = await issueScannerToken(id.data as string, key as string, { ttlSeconds });
    console.log(
      `scanner token for ${id.data}${ttlSeconds ? `, valid ${opts.days} days` : ", valid until the key rotates"}:`,
    );
    console.log(token);
  });

await program.parseAsync();
