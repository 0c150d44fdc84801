// `npm run db:migrate`: applies the migrations to the configured database (Postgres when
// DATABASE_URL is set, else the SQLite file SQLITE_PATH). Opening a store applies any
// that are pending, saying how many and how long they took; running it again is harmless.
// JSON log lines, the last saying it is done: exit 0; exit 1 on error.
import { parseConfig } from "../config.js";
import { type DatabaseTarget, databaseTarget, errorMessage } from "../node/database-target.js";
import { openStore } from "../node/store.js";
import { createLogger } from "../observability/logger.js";

const log = createLogger("info");
const fail = createLogger("info", {}, (line) => console.error(line));

let target: DatabaseTarget | undefined;
try {
  const config = parseConfig(process.env);
  target = databaseTarget(config);
  const store = await openStore(config, log);
  await store.close();
  log.info("database up to date", { ...target });
} catch (err) {
  fail.error("migrations failed", { ...target, error: errorMessage(err) });
  process.exit(1);
}
