/**
 * Two `aptcard start` processes in Slack HTTP mode sharing one real redis-server, the fake Slack
 * delivering each event to one replica and its retry to the other, at the same moment: every
 * event is answered exactly once, and the enrichment cooldown holds across both. Then Redis is
 * stopped and started again mid-run: commands keep being answered, enrichment resumes, nothing
 * is posted twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventCallback,
  FakeSlack,
  form,
  type Json,
  mentionEvent,
  messageEvent,
  postSigned,
  slashCommand,
} from '../fakes/slack.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { freePort, hasRedis, noteRedisSkipped, RedisServer } from '../helpers/redis.js';

noteRedisSkipped();
const SECRET = 'replica-secret';
const BIN = join(REPO_ROOT, 'bin/aptcard.js');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Replica {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

async function startReplica(fake: FakeSlack, redisUrl: string, prefix: string): Promise<Replica> {
  const port = await freePort();
  let stderr = '';
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SLACK_BOT_TOKEN: 'xoxb-replica',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      CACHE_DIR: 'off',
      WATCH: 'false',
      LOG_LEVEL: 'info',
      ENRICH_COOLDOWN_MINUTES: '30',
      // The test machine is shared and busy: a 500 ms default would skip some enrichment
      // (correctly, and never twice) and make the exact count below flaky.
      STATE_TIMEOUT_MS: '3000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 15_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until || child.exitCode !== null) {
      throw new Error(`replica did not start: ${stderr.slice(-2000)}`);
    }
    await sleep(50);
  }
  return { child, url, stderr: () => stderr };
}

function deliver(replica: Replica, payload: Json, retryNum?: number) {
  return postSigned(`${replica.url}/slack/events`, JSON.stringify(payload), {
    secret: SECRET,
    contentType: 'application/json',
    ...(retryNum !== undefined ? { retryNum } : {}),
  });
}

/** Posts per thread: a duplicate is a second post under one message. */
function postsByThread(fake: FakeSlack, since: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const post of fake.posts().slice(since)) {
    const key = `${String(post.body.channel)}/${String(post.body.thread_ts)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Wait until `n` posts arrived after `since`, then a little longer to catch any duplicate. */
async function settle(fake: FakeSlack, since: number, n: number): Promise<void> {
  await fake.waitFor(
    () => (fake.posts().length - since >= n ? true : undefined),
    `${n} posts`,
    10_000,
  );
  await sleep(400);
}

describe.skipIf(!hasRedis)('two replicas sharing one Redis', () => {
  let redis: RedisServer;
  let fake: FakeSlack;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    redis = await RedisServer.start();
    fake = await FakeSlack.start();
    [a, b] = await Promise.all([
      startReplica(fake, redis.url, 'replicas:'),
      startReplica(fake, redis.url, 'replicas:'),
    ]);
  }, 40_000);

  afterAll(async () => {
    for (const r of [a, b]) {
      if (r && r.child.exitCode === null) {
        const exited = new Promise((resolve) => r.child.once('exit', resolve));
        r.child.kill('SIGTERM');
        await exited;
      }
    }
    await fake?.close();
    await redis?.stop();
  });

  it('posts each event once over a burst delivered to one and retried to the other', async () => {
    const since = fake.posts().length;
    const burst = 24;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < burst; i++) {
      const ts = `1700100000.${String(i).padStart(6, '0')}`;
      // Half enrichment (one channel each, so the cooldown does not hide a duplicate), half mentions.
      const event =
        i % 2 === 0
          ? messageEvent('infra overlaps with TEMP.Zhenbao', ts, { channel: `CBURST${i}` })
          : mentionEvent('who is apt 21?', ts, { channel: `CBURST${i}` });
      const payload = eventCallback(event, `EvBurst${i}`);
      const [first, second] = i % 4 < 2 ? [a, b] : [b, a];
      sends.push(deliver(first, payload), deliver(second, payload, 1));
    }
    const answers = (await Promise.all(sends)) as { status: number }[];
    expect(answers.every((r) => r.status === 200)).toBe(true);
    await settle(fake, since, burst);
    const counts = postsByThread(fake, since);
    expect(counts.size).toBe(burst);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('shares the enrichment cooldown: the second replica does not repeat an actor', async () => {
    const since = fake.posts().length;
    await deliver(
      a,
      eventCallback(messageEvent('TEMP.Zhenbao again', '1700200000.000001', { channel: 'CCOOL' })),
    );
    await settle(fake, since, 1);
    await deliver(
      b,
      eventCallback(messageEvent('and Hammer Panda', '1700200000.000002', { channel: 'CCOOL' })),
    );
    await sleep(600);
    expect(fake.posts().length - since).toBe(1);
  });

  it('keeps answering while Redis is down, then resumes enrichment, never posting twice', async () => {
    const logsBefore = [a.stderr().length, b.stderr().length];
    await redis.pause();
    const since = fake.posts().length;
    // A slash command and a mention are answered without Redis.
    const slash = await postSigned(
      `${b.url}/slack/events`,
      form(slashCommand({ text: 'hammer panda', responseUrl: fake.responseUrl('down1') })),
      { secret: SECRET },
    );
    expect(slash.status).toBe(200);
    expect(JSON.stringify(slash.json ?? {})).toContain('NetTraveler');
    await deliver(
      a,
      eventCallback(mentionEvent('who is apt 21?', '1700300000.000001', { channel: 'CDOWN' })),
    );
    await settle(fake, since, 1);
    // Enrichment is skipped rather than risk a duplicate.
    await deliver(
      a,
      eventCallback(messageEvent('TEMP.Zhenbao', '1700300000.000002', { channel: 'CDOWN2' })),
    );
    await sleep(600);
    expect(fake.posts().length - since).toBe(1);

    await redis.resume();
    // ioredis reconnects by itself (backing off up to 2 s): a fresh event is enriched once
    // Redis is back, and its retry to the other replica is not.
    const back = fake.posts().length;
    let i = 0;
    const until = Date.now() + 10_000;
    while (fake.posts().length === back && Date.now() < until) {
      const payload = eventCallback(
        messageEvent('TEMP.Zhenbao', `1700400000.${String(++i).padStart(6, '0')}`, {
          channel: `CUP${i}`,
        }),
      );
      await Promise.all([deliver(a, payload), deliver(b, payload, 1)]);
      await sleep(300);
    }
    await sleep(500);
    const counts = postsByThread(fake, back);
    expect(counts.size).toBeGreaterThanOrEqual(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // One line when it went, one when it came back, per replica that noticed.
    const logA = a.stderr().slice(logsBefore[0]);
    const logB = b.stderr().slice(logsBefore[1]);
    for (const log of [logA, logB]) {
      expect(log.match(/state store unavailable/g)?.length ?? 0).toBeLessThanOrEqual(1);
      expect(log.match(/state store is back/g)?.length ?? 0).toBeLessThanOrEqual(1);
    }
    expect(logA.match(/state store unavailable/g)).toHaveLength(1);
    expect(logA.match(/state store is back/g)).toHaveLength(1);
  }, 30_000);
});
