import { Redis } from 'ioredis';
import type { StateStore } from './store.js';

export interface RedisStoreOptions {
  /** Namespace of every key (REDIS_PREFIX). Default: "aptcard:". */
  prefix?: string;
  /** A command not answered in this time fails (the caller skips what needed it). */
  commandTimeoutMs?: number;
}

/**
 * Redis, for several replicas behind one Slack endpoint: every key namespaced and with a TTL,
 * setIfAbsent is one atomic `SET key value PX ttl NX`. Commands fail at once while the
 * connection is down (no offline queue: a queued claim replayed minutes later could post a
 * stale enrichment); ioredis reconnects by itself in the background.
 */
export class RedisStore implements StateStore {
  readonly name: string;
  readonly prefix: string;
  private readonly redis: Redis;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'aptcard:';
    this.name = redactUrl(url);
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 250,
      connectTimeout: 1000,
      // Reconnect forever, backing off to 2 s between attempts.
      retryStrategy: (times) => Math.min(times * 100, 2000),
      lazyConnect: true,
    });
    // Connection errors surface as failed commands (and one log line in GuardedStore).
    this.redis.on('error', () => {});
  }

  /** Connect now; resolves false (and keeps retrying in the background) if Redis is not there. */
  async connect(): Promise<boolean> {
    try {
      await this.redis.connect();
      return true;
    } catch {
      return false;
    }
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    return (await this.redis.set(this.prefix + key, value, 'PX', ttl, 'NX')) === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(this.prefix + key, value);
    else await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async entries(prefix: string): Promise<[string, string][]> {
    const pattern = `${globEscape(this.prefix + prefix)}*`;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length === 0) return [];
    keys.sort();
    const values = await this.redis.mget(...keys);
    const out: [string, string][] = [];
    keys.forEach((key, i) => {
      const value = values[i];
      if (typeof value === 'string') out.push([key.slice(this.prefix.length), value]);
    });
    return out;
  }

  async close(): Promise<void> {
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
      else this.redis.disconnect();
    } catch {
      this.redis.disconnect();
    }
  }
}

/** SCAN MATCH treats * ? [ ] \ specially: a prefix is matched literally. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis';
  }
}
