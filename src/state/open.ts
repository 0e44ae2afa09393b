import type { StateConfig } from '../config.js';
import { type Logger, log as rootLog } from '../log.js';
import { GuardedStore } from './guarded.js';
import type { StateStore } from './store.js';

/**
 * The store `aptcard start` uses: Redis when REDIS_URL is set (a Redis that is not up yet is
 * logged and retried in the background: the bot starts and answers anyway), else the SQLite file
 * in STATE_DIR (a file that cannot be used throws StateSetupError). Loaded lazily so that a
 * deployment on one never loads the other's client.
 */
export async function openStateStore(
  config: StateConfig,
  logger: Logger = rootLog,
): Promise<GuardedStore> {
  if (config.redisUrl) {
    const { RedisStore } = await import('./redis.js');
    const redis = new RedisStore(config.redisUrl, {
      prefix: config.redisPrefix,
      commandTimeoutMs: config.timeoutMs,
    });
    const guarded = new GuardedStore(redis, { logger, timeoutMs: config.timeoutMs });
    if (!(await redis.connect())) {
      // Through the guard, so its "unavailable" line is logged once and "back" follows.
      await guarded.get('meta:probe').catch(() => {});
    }
    logger.info({ store: redis.name }, 'state in Redis');
    return guarded;
  }
  const { SqliteStore } = await import('./sqlite.js');
  const inner: StateStore = SqliteStore.open(config.dir);
  logger.debug({ store: inner.name }, 'state in file');
  return new GuardedStore(inner, { logger, timeoutMs: config.timeoutMs });
}
