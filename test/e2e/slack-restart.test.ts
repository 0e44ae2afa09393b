/**
 * The embedded state file over a restart: `aptcard start` in Slack HTTP mode against the fake
 * Slack, stopped and started again mid-burst on the same STATE_DIR. A retry of an event the
 * first run answered is not answered again, enrichment is not repeated inside the cooldown,
 * and a corrupt or unusable state file stops the start with a clear message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli.js';
import { STATE_FILE } from '../../src/state/sqlite.js';
import {
  eventCallback,
  FakeSlack,
  type Json,
  mentionEvent,
  messageEvent,
  postSigned,
} from '../fakes/slack.js';
import { fakeIO } from '../helpers/cli.js';
import { freePort } from '../helpers/redis.js';

const SECRET = 'restart-secret';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let fake: FakeSlack;
const stateDir = mkdtempSync(join(tmpdir(), 'aptcard-restart-'));
beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** Deliver SIGTERM to the listener `start` added (a real kill would reach vitest too). */
async function sigterm(before: Set<unknown>): Promise<void> {
  let added: ((signal: NodeJS.Signals) => void) | undefined;
  while (!added) {
    added = process.listeners('SIGTERM').find((l) => !before.has(l)) as typeof added;
    if (!added) await new Promise((r) => setImmediate(r));
  }
  added('SIGTERM');
}

async function start(env: Record<string, string> = {}) {
  const before = new Set<unknown>(process.listeners('SIGTERM'));
  const port = await freePort();
  const t = fakeIO({
    SLACK_BOT_TOKEN: 'xoxb-restart',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_HOST: '127.0.0.1',
    PORT: String(port),
    CACHE_DIR: 'off',
    LOG_LEVEL: 'silent',
    WATCH: 'false',
    STATE_DIR: stateDir,
    ...env,
  });
  const exit = main(['start'], t.io);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await sleep(20);
  }
  return {
    url,
    async stop() {
      await sigterm(before);
      expect(await exit).toBe(0);
    },
  };
}

function deliver(url: string, payload: Json, retryNum?: number) {
  return postSigned(`${url}/slack/events`, JSON.stringify(payload), {
    secret: SECRET,
    contentType: 'application/json',
    ...(retryNum !== undefined ? { retryNum } : {}),
  });
}

async function postsAfter(since: number, n: number): Promise<number> {
  if (n > 0) {
    await fake.waitFor(() => (fake.posts().length - since >= n ? true : undefined), `${n} posts`);
  }
  await sleep(300);
  return fake.posts().length - since;
}

describe('a restart on the embedded state file', () => {
  it('does not answer a retry again, nor repeat enrichment inside the cooldown', async () => {
    const first = await start();
    const since = fake.posts().length;
    const enriched = eventCallback(
      messageEvent('infra overlaps with TEMP.Zhenbao', '1700500000.000001'),
      'EvRestart1',
    );
    const mention = eventCallback(
      mentionEvent('who is apt 21?', '1700500000.000002'),
      'EvRestart2',
    );
    await deliver(first.url, enriched);
    await deliver(first.url, mention);
    expect(await postsAfter(since, 2)).toBe(2);
    // Stopped mid-burst: Slack retries both to the restarted bot.
    await first.stop();

    const second = await start();
    const after = fake.posts().length;
    await deliver(second.url, enriched, 1);
    await deliver(second.url, mention, 1);
    // Another message naming the same actor in that channel: still inside the cooldown.
    await deliver(
      second.url,
      eventCallback(messageEvent('Hammer Panda again', '1700500000.000003'), 'EvRestart3'),
    );
    expect(await postsAfter(after, 0)).toBe(0);
    // A new mention is answered as ever.
    await deliver(
      second.url,
      eventCallback(mentionEvent('who is apt 21?', '1700500000.000004'), 'EvRestart4'),
    );
    expect(await postsAfter(after, 1)).toBe(1);
    await second.stop();
  });

  it('stops at start with a clear message when the state file is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aptcard-corrupt-'));
    writeFileSync(join(dir, STATE_FILE), 'not sqlite at all '.repeat(100));
    const t = fakeIO({ CACHE_DIR: 'off', LOG_LEVEL: 'silent', WATCH: 'false', STATE_DIR: dir });
    expect(await main(['start'], t.io)).toBe(2);
    expect(t.err()).toMatch(
      new RegExp(`state file ${join(dir, STATE_FILE)} cannot be used .*move it away`),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops at start with a clear message when STATE_DIR cannot be created', async () => {
    const file = join(stateDir, 'a-file');
    writeFileSync(file, 'x');
    const t = fakeIO({ CACHE_DIR: 'off', LOG_LEVEL: 'silent', STATE_DIR: join(file, 'sub') });
    expect(await main(['start'], t.io)).toBe(2);
    expect(t.err()).toMatch(/STATE_DIR .* cannot be created .*set STATE_DIR to a writable folder/);
  });
});
