import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GuardedStore } from '../../src/state/guarded.js';
import { RedisStore } from '../../src/state/redis.js';
import { StoreUnavailableError } from '../../src/state/store.js';
import { memoryLogger } from '../e2e/discord-setup.js';
import { hasRedis, noteRedisSkipped, RedisServer } from '../helpers/redis.js';
import { storeContract } from './contract.js';

noteRedisSkipped();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe.skipIf(!hasRedis)('RedisStore against a real redis-server', () => {
  let server: RedisServer;
  const open: RedisStore[] = [];
  let n = 0;
  const make = async () => {
    // A prefix per test: tests never see each other's keys.
    const store = new RedisStore(server.url, { prefix: `t${++n}:` });
    open.push(store);
    expect(await store.connect()).toBe(true);
    return store;
  };
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  storeContract(make, sleep);

  it('namespaces every key under REDIS_PREFIX and gives claims a TTL', async () => {
    const a = new RedisStore(server.url, { prefix: 'one:' });
    const b = new RedisStore(server.url, { prefix: 'two:' });
    open.push(a, b);
    await Promise.all([a.connect(), b.connect()]);
    expect(await a.setIfAbsent('event:E1', '1', 60_000)).toBe(true);
    expect(await b.setIfAbsent('event:E1', '1', 60_000)).toBe(true);
    const raw = new RedisStore(server.url, { prefix: '' });
    open.push(raw);
    await raw.connect();
    expect((await raw.entries('one:')).map(([k]) => k)).toEqual(['one:event:E1']);
  });

  it('fails fast while Redis is down, logs it once each way, and recovers by itself', async () => {
    const logger = memoryLogger();
    const inner = new RedisStore(server.url, { prefix: 'fault:', commandTimeoutMs: 200 });
    open.push(inner);
    await inner.connect();
    const store = new GuardedStore(inner, { logger: logger.logger, timeoutMs: 300 });
    expect(await store.setIfAbsent('a', '1', 60_000)).toBe(true);
    await server.pause();
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await expect(store.setIfAbsent(`down${i}`, '1', 60_000)).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      expect(Date.now() - started).toBeLessThan(400);
    }
    await server.resume();
    let back = false;
    for (let i = 0; i < 100 && !back; i++) {
      back = await store.setIfAbsent(`up${i}`, '1', 60_000).then(
        () => true,
        () => false,
      );
      if (!back) await sleep(50);
    }
    expect(back).toBe(true);
    expect(logger.lines().filter((l) => /^state store unavailable/.test(l.msg ?? ''))).toHaveLength(
      1,
    );
    expect(logger.lines().filter((l) => /^state store is back$/.test(l.msg ?? ''))).toHaveLength(1);
  });
});
