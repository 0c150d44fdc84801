// `npm run retention`: the Workers cron job's retention, run once on Node against the
// configured database (Postgres when DATABASE_URL is set, else the SQLite file). Deletes
// raw records older than RETENTION_DAYS by their own time and their arrival, in chunks,
// until none is left; analytics_stats keeps counting them. RETENTION_DAYS unset: keeps everything, deletes
// nothing. One JSON log line, exit 0; exit 1 on error.
import { parseConfig } from "../config.js";
import { type DatabaseTarget, databaseTarget, errorMessage } from "../node/database-target.js";
import { openStore } from "../node/store.js";
import { createLogger } from "../observability/logger.js";
import { purgeExpired } from "../retention.js";

const log = createLogger("info");
const fail = createLogger("info", {}, (line) => console.error(line));

let target: DatabaseTarget | undefined;
try {
  const config = parseConfig(process.env);
  target = databaseTarget(config);
  if (config.RETENTION_DAYS === undefined) {
    log.info("retention off: RETENTION_DAYS is unset, every record is kept", { ...target });
  } else {
    const store = await openStore(config);
    try {
      const result = await purgeExpired(store, { days: config.RETENTION_DAYS });
      log.info("retention done", {
        ...target,
        retention_days: config.RETENTION_DAYS,
        cutoff: result.cutoff?.toISOString(),
        deleted: result.deleted,
        chunks: result.chunks,
      });
    } finally {
      await store.close();
    }
  }
} catch (err) {
  fail.error("retention failed", { ...target, error: errorMessage(err) });
  process.exit(1);
}
