// `npm run demo`: loads a realistic demo event into the configured database, so a new
// user sees real numbers at once. The work is in ./demo/; this is the command around it.
import { parseConfig } from "../config.js";
import { type DatabaseTarget, databaseTarget, errorMessage } from "../node/database-target.js";
import { openStore } from "../node/store.js";
import { DEMO_USAGE, type DemoArgs, parseDemoArgs, UsageError } from "./demo/args.js";
import { type LoadReport, loadDemo } from "./demo/load.js";
import { demoSummary, localBaseUrl } from "./demo/summary.js";

let args: DemoArgs;
try {
  args = parseDemoArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`demo: ${err.message}\n\n${DEMO_USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(DEMO_USAGE);
  process.exit(0);
}

let where: DatabaseTarget | undefined;
try {
  const config = parseConfig(process.env);
  where = databaseTarget(config);
  const store = await openStore(config);
  let report: LoadReport;
  try {
    report = await loadDemo(store, args.options);
  } finally {
    await store.close();
  }
  const api = { baseUrl: localBaseUrl(config.HOST, config.PORT), needsToken: config.API_TOKENS.length > 0 };
  console.log(demoSummary(report, where, api));
} catch (err) {
  const on = where ? ` (${where.database} ${where.target})` : "";
  console.error(`demo failed${on}: ${errorMessage(err)}`);
  process.exit(1);
}
