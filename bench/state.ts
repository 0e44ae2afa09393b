/**
 * State store cost (issue 16): what the store adds to a channel message on Slack, the path that
 * uses it most (the event claim, then the enrichment's per-message and cooldown claims: four
 * set-if-absent calls for a message naming one actor), 50 messages in flight, each message new.
 * Baseline, same run: the in-memory store. Slash commands, mentions and buttons make no store
 * call that waits (a long-query button reads one only when this process does not know it), so
 * their latency is the Slack and Discord suites' figures. Redis runs only when redis-server is
 * installed (started here on a free loopback port, no persistence).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventClaims } from '../adapters/slack/dedupe.js';
import { Bot } from '../src/bot.js';
import { openLibrary } from '../src/catalog/open.js';
import { AliasEnricher } from '../src/detect/enricher.js';
import { log } from '../src/log.js';
import { GuardedStore } from '../src/state/guarded.js';
import { MemoryStore } from '../src/state/memory.js';
import { RedisStore } from '../src/state/redis.js';
import { SqliteStore } from '../src/state/sqlite.js';
import type { StateStore } from '../src/state/store.js';
import { fmt, percentile } from './util.js';

const SEEDS = resolve(fileURLToPath(import.meta.url), '../../../seeds');
const CONCURRENCY = 50;
const ROUNDS = 40;
const WARMUP = 10;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function startRedis(): Promise<{ url: string; stop: () => void } | undefined> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const failed = new Promise<undefined>((r) => child.once('error', () => r(undefined)));
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((r) => {
        const c = createConnection({ port, host: '127.0.0.1' });
        c.once('connect', () => {
          c.destroy();
          r(true);
        });
        c.once('error', () => r(false));
      });
      if (ok) return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    return undefined;
  })();
  return Promise.race([ready, failed]);
}

/** Milliseconds per message, 50 in flight, over ROUNDS rounds after WARMUP. */
async function measure(store: StateStore): Promise<number[]> {
  const library = openLibrary(SEEDS, false);
  const enricher = new AliasEnricher(
    { enabled: true, disabledChannels: [], maxActors: 3, cooldownMinutes: 30, allow: [], deny: [] },
    { store },
  );
  const bot = new Bot(library, { enricher, store });
  const claims = new EventClaims(store);
  let n = 0;
  const one = async (): Promise<number> => {
    const i = ++n;
    const t = performance.now();
    if ((await claims.claim(`event:Ev${i}`, `message:C${i}:${i}.0001`)) !== 'fresh')
      throw new Error('claim');
    const reply = await bot.answer({
      kind: 'message',
      text: 'infra overlaps with TEMP.Zhenbao',
      platform: 'slack',
      channel: `C${i}`,
      messageId: `${i}.0001`,
    });
    if (reply?.kind !== 'enrichment') throw new Error('no enrichment');
    return performance.now() - t;
  };
  const times: number[] = [];
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const batch = await Promise.all(Array.from({ length: CONCURRENCY }, one));
    if (round >= WARMUP) times.push(...batch);
  }
  return times.sort((a, b) => a - b);
}

export async function run(): Promise<void> {
  log.level = 'silent';
  const results: [string, number[]][] = [];
  const memory = await measure(new MemoryStore());
  results.push(['memory', memory]);
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-bench-state-'));
  const file = new GuardedStore(SqliteStore.open(dir), { logger: log });
  results.push(['file (SQLite)', await measure(file)]);
  await file.close();
  rmSync(dir, { recursive: true, force: true });
  const redis = await startRedis();
  if (redis) {
    const inner = new RedisStore(redis.url);
    await inner.connect();
    const store = new GuardedStore(inner, { logger: log, timeoutMs: 2000 });
    results.push(['Redis (local)', await measure(store)]);
    await store.close();
    redis.stop();
  } else {
    console.log('Redis: skipped (redis-server not installed)');
  }
  const p = (t: number[], q: number) => percentile(t, q);
  for (const [name, t] of results) {
    console.log(
      `channel message, ${name}: median ${fmt(p(t, 50), 3)} ms, p99 ${fmt(p(t, 99), 3)} ms (n=${t.length}, ${CONCURRENCY} in flight)` +
        (name === 'memory'
          ? ''
          : `; +${fmt(p(t, 99) - p(memory, 99), 3)} ms p99 vs memory [target: file +1 ms, Redis +2 ms]`),
    );
  }
}
