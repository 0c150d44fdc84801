// The Worker's cron job (wrangler.toml [triggers]): retention of raw records older than
// RETENTION_DAYS. Each run deletes a bounded number of chunks; the next run carries on.
import { errorFields } from "../observability/logger.js";
import { purgeExpired } from "../retention.js";
import { isolateDeps, openWorkerStore } from "./deps.js";
import type { WorkerEnv } from "./env.js";

/**
 * Records of each kind per statement, and chunks per run (a statement of each kind: 3). On
 * D1's free plan (50 queries a request) a run stops at that cap and the next carries on.
 */
export const RETENTION_CHUNK = 1000;
export const RETENTION_MAX_CHUNKS = 50;

export async function handleScheduled(
  controller: ScheduledController,
  env: WorkerEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const deps = isolateDeps(env);
  const { config } = deps;
  const logger = deps.logger.child({ cron: controller.cron });
  if (config.RETENTION_DAYS === undefined) {
    logger.info("retention off: RETENTION_DAYS is unset, every record is kept");
    return;
  }
  const store = openWorkerStore(env, deps);
  try {
    const result = await purgeExpired(store, {
      days: config.RETENTION_DAYS,
      now: new Date(controller.scheduledTime),
      chunk: RETENTION_CHUNK,
      maxChunks: RETENTION_MAX_CHUNKS,
    });
    logger.info("retention done", {
      database: store.dialect,
      retention_days: config.RETENTION_DAYS,
      cutoff: result.cutoff?.toISOString(),
      deleted: result.deleted,
      chunks: result.chunks,
      complete: result.complete,
    });
  } catch (err) {
    logger.error("retention failed", errorFields(err));
    throw err;
  } finally {
    ctx.waitUntil(store.close());
  }
}
