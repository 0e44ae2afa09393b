/**
 * The real `aptcard start` in a child process, with Slack's Web API (the local fake) failing:
 * answering 500, never answering, or answering late. After a real SIGTERM the bot exits within
 * its shutdown deadline (SHUTDOWN_TIMEOUT) plus a margin, and logs one warning that names how
 * many replies were dropped; replies that finish before the deadline are still delivered. At
 * start, an API that cannot be reached (closed port, 500, no answer) fails start-up within a
 * bound, with a message that says what could not be reached and what to check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot.js';
import {
  type ApiFault,
  eventCallback,
  FakeSlack,
  mentionEvent,
  messageEvent,
  postSigned,
} from '../fakes/slack.js';
import { SEEDS_DIR } from '../helpers/corpus.js';
import { type LiveLauncher, spawnLauncher } from '../helpers/launcher.js';
import { freePort } from '../helpers/redis.js';
import { slackLibrary } from '../slack/fixtures.js';

const SECRET = 'faults-signing-secret';
/** SHUTDOWN_TIMEOUT in these tests (seconds), and the slack allowed on top of it. */
const DEADLINE_S = 2;
const MARGIN_MS = 3000;
/** What the issue asked for: a start-up that fails within 15-30 s, not never. */
const STARTUP_BOUND_MS = 30_000;

let fake: FakeSlack;
const folders: string[] = [];

beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterEach(() => {
  fake.faults.clear();
});
afterAll(async () => {
  await fake?.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-slack-faults-'));
  folders.push(dir);
  return dir;
}

/** The environment of a Slack bot in HTTP mode against `apiUrl`, in its own folders. */
function slackEnv(apiUrl: string, port: number, more: Record<string, string> = {}) {
  const home = tempDir();
  return {
    SLACK_BOT_TOKEN: 'xoxb-faults',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    SLACK_HOST: '127.0.0.1',
    PORT: String(port),
    CARDS_DIR: SEEDS_DIR,
    XDG_DATA_HOME: join(home, 'data'),
    STATE_DIR: join(home, 'state'),
    SYNC_ON_START: 'false',
    WATCH: 'false',
    LOG_LEVEL: 'info',
    ...more,
  };
}

interface LogLine {
  level?: number;
  msg?: string;
  dropped?: number;
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

/** Start the bot in HTTP mode and wait until it serves. */
async function startBot(more: Record<string, string> = {}) {
  const port = await freePort();
  const bot = spawnLauncher(['start'], { env: slackEnv(fake.apiUrl, port, more) });
  await bot.waitForErr(/slack adapter running/);
  return { bot, events: `http://127.0.0.1:${port}/slack/events` };
}

/** Mentions the bot acknowledges at once (HTTP mode answers Slack before the reply is sent). */
async function mention(events: string, count: number, first: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const ts = `1700300000.${String(first + i).padStart(6, '0')}`;
    const body = JSON.stringify(eventCallback(mentionEvent('who is hammer panda?', ts)));
    const res = await postSigned(events, body, { secret: SECRET, contentType: 'application/json' });
    expect(res.status).toBe(200);
  }
}

async function sigterm(bot: LiveLauncher) {
  const sent = performance.now();
  bot.signal('SIGTERM');
  const exit = await bot.exited;
  return { ...exit, afterMs: exit.at - sent };
}

describe('SIGTERM while the Web API fails', () => {
  const faults: [string, ApiFault][] = [
    ['answers 500', { kind: 'status', status: 500 }],
    ['never answers', { kind: 'hang' }],
    ['answers after 8 s', { kind: 'delay', ms: 8000 }],
  ];
  it.each(faults)(
    'Web API %s: exits within the deadline and logs how many replies were dropped',
    async (_name, fault) => {
      const { bot, events } = await startBot({ SHUTDOWN_TIMEOUT: String(DEADLINE_S) });
      fake.faults.set('*', fault);
      const before = fake.posts().length;
      await mention(events, 5, 0);
      // Every reply is on its way to the failing API when the signal comes.
      await fake.waitFor(
        () => (fake.posts().length - before >= 5 ? true : undefined),
        'five replies to reach the Web API',
      );
      const exit = await sigterm(bot);
      expect(exit.killed).toBe(false);
      expect(exit.code).toBe(0);
      expect(exit.afterMs).toBeLessThan(DEADLINE_S * 1000 + MARGIN_MS);
      // One warning, counting the drops (the aborted calls' own failures go to debug).
      const warnings = logLines(bot.err()).filter((l) => (l.level ?? 0) >= 40);
      expect(warnings.map((w) => w.dropped)).toEqual([5]);
      expect(warnings[0]?.msg).toMatch(/5 replies dropped/);
    },
    30_000,
  );

  it('a reply waiting out a rate limit (429, Retry-After: 30) does not keep the bot alive', async () => {
    const { bot, events } = await startBot({ SHUTDOWN_TIMEOUT: String(DEADLINE_S) });
    fake.faults.set('chat.postMessage', { kind: 'status', status: 429, retryAfterS: 30 });
    const before = fake.posts().length;
    await mention(events, 1, 50);
    await fake.waitFor(
      () => (fake.posts().length > before ? true : undefined),
      'the reply to be rate-limited',
    );
    const exit = await sigterm(bot);
    expect(exit.killed).toBe(false);
    expect(exit.code).toBe(0);
    expect(exit.afterMs).toBeLessThan(DEADLINE_S * 1000 + MARGIN_MS);
    const warnings = logLines(bot.err()).filter((l) => (l.level ?? 0) >= 40);
    expect(warnings.map((w) => w.dropped)).toEqual([1]);
    expect(warnings[0]?.msg).toMatch(/1 reply dropped/);
  }, 30_000);

  it('waits for replies that finish before the deadline (and their records), drops none', async () => {
    const { bot, events } = await startBot({ SHUTDOWN_TIMEOUT: '10' });
    fake.faults.set('chat.postMessage', { kind: 'delay', ms: 1000 });
    const posted = () => fake.answered.filter((m) => m === 'chat.postMessage').length;
    const before = fake.posts().length;
    const answeredBefore = posted();
    await mention(events, 3, 100);
    // An enrichment reply, whose record (for following edits) is written to the state store
    // after the post: the store must still be open then.
    const ts = '1700300001.000200';
    const body = JSON.stringify(
      eventCallback(messageEvent('infra overlaps with TEMP.Zhenbao', ts)),
    );
    expect(
      (await postSigned(events, body, { secret: SECRET, contentType: 'application/json' })).status,
    ).toBe(200);
    await fake.waitFor(
      () => (fake.posts().length - before >= 4 ? true : undefined),
      'four replies to reach the Web API',
    );
    const exit = await sigterm(bot);
    expect(exit.killed).toBe(false);
    expect(exit.code).toBe(0);
    // Well before the 10 s deadline: the stop waited for the replies, not for the deadline.
    expect(exit.afterMs).toBeLessThan(5000);
    expect(posted() - answeredBefore).toBe(4);
    const lines = logLines(bot.err());
    expect(lines.filter((l) => (l.level ?? 0) >= 40)).toEqual([]);
    expect(lines.find((l) => l.msg === 'slack adapter stopped')?.dropped).toBe(0);
  }, 30_000);
});

describe('start-up with the Web API out of reach', () => {
  const run = async (apiUrl: string) => {
    const port = await freePort();
    const started = performance.now();
    const bot = spawnLauncher(['start'], {
      env: slackEnv(apiUrl, port, { LOG_LEVEL: 'silent' }),
      deadlineMs: STARTUP_BOUND_MS + 10_000,
    });
    const exit = await bot.exited;
    return { ...exit, ms: exit.at - started, err: bot.err() };
  };

  it('fails clearly when nothing listens at SLACK_API_URL', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/api/`;
    const exit = await run(closed);
    expect(exit.killed).toBe(false);
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeLessThan(STARTUP_BOUND_MS);
    expect(exit.err).toContain(`could not reach Slack's Web API at ${closed}`);
    expect(exit.err).toMatch(/ECONNREFUSED/);
    expect(exit.err).toMatch(/check SLACK_API_URL/);
    expect(exit.err).not.toContain('xoxb-faults');
  }, 45_000);

  it('fails clearly when the Web API answers 500', async () => {
    fake.faults.set('auth.test', { kind: 'status', status: 500 });
    const exit = await run(fake.apiUrl);
    expect(exit.killed).toBe(false);
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeLessThan(STARTUP_BOUND_MS);
    expect(exit.err).toContain(`Slack's Web API at ${fake.apiUrl} answered HTTP 500 to auth.test`);
    expect(exit.err).toMatch(/slack-status\.com/);
  }, 45_000);

  it('Socket Mode: fails clearly when apps.connections.open answers 500', async () => {
    fake.faults.set('apps.connections.open', { kind: 'status', status: 500 });
    const port = await freePort();
    const started = performance.now();
    const bot = spawnLauncher(['start'], {
      env: slackEnv(fake.apiUrl, port, { LOG_LEVEL: 'silent', SLACK_APP_TOKEN: 'xapp-faults' }),
      deadlineMs: STARTUP_BOUND_MS + 10_000,
    });
    const exit = await bot.exited;
    expect(exit.killed).toBe(false);
    expect(exit.code).toBe(1);
    expect(exit.at - started).toBeLessThan(STARTUP_BOUND_MS);
    expect(bot.err()).toContain(
      `Slack's Web API at ${fake.apiUrl} answered HTTP 500 to apps.connections.open`,
    );
    expect(bot.err()).not.toContain('xapp-faults');
  }, 45_000);

  it('gives up on a Socket Mode start-up that never completes, and stops retrying', async () => {
    // Slack answers, but not with a URL to connect to: Socket Mode retries that forever.
    fake.failing.set('apps.connections.open', 'internal_error');
    try {
      const bot = new Bot(slackLibrary());
      const started = performance.now();
      const failure = await startSlack(
        bot,
        {
          botToken: 'xoxb-faults',
          appToken: 'xapp-faults',
          apiUrl: fake.apiUrl,
          port: 0,
          answerInChannel: false,
        },
        { host: '127.0.0.1', healthInSocketMode: false, startupTimeoutMs: 1500 },
      ).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(performance.now() - started).toBeLessThan(1500 + 2000);
      expect(failure?.message).toContain(
        `Slack start-up did not finish within 2 s (auth.test, then Socket Mode's connection, Web API at ${fake.apiUrl})`,
      );
      expect(failure?.message).toMatch(/check SLACK_API_URL/);
      // Socket Mode's own retry (5 s later) does not happen: the app was stopped.
      const opens = () => fake.calls.filter((c) => c.method === 'apps.connections.open').length;
      const seen = opens();
      await new Promise((r) => setTimeout(r, 6000));
      expect(opens()).toBe(seen);
    } finally {
      fake.failing.delete('apps.connections.open');
    }
  }, 20_000);

  it('Socket Mode, once started, reconnects through a Slack outage for as long as it takes', async () => {
    // With bounded retries, Socket Mode gave up reconnecting after about 10 s of 5xx and
    // rejected a promise nobody can catch (WebAPIHTTPError): in a real process, an exit.
    // @slack/socket-mode 3.1 also rejects one with `undefined` once it has reconnected (on main
    // too, and not this test's subject): only real errors count here.
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const adapter = await startSlack(
      new Bot(slackLibrary()),
      {
        botToken: 'xoxb-faults',
        appToken: 'xapp-faults',
        apiUrl: fake.apiUrl,
        port: 0,
        answerInChannel: false,
      },
      { host: '127.0.0.1', healthInSocketMode: false },
    );
    try {
      const opens = () => fake.calls.filter((c) => c.method === 'apps.connections.open').length;
      const before = opens();
      fake.faults.set('apps.connections.open', { kind: 'status', status: 500 });
      fake.dropSockets();
      await new Promise((r) => setTimeout(r, 12_000));
      expect(opens() - before).toBeGreaterThanOrEqual(3);
      expect(rejections).toEqual([]);
      fake.faults.delete('apps.connections.open');
      await fake.waitFor(
        () => (fake.connectedSockets === 1 ? true : undefined),
        'Socket Mode to reconnect',
        15_000,
      );
      await adapter.stop(1000);
      await new Promise((r) => setTimeout(r, 500));
      expect(rejections.filter((r) => r !== undefined)).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await adapter.stop(1000);
    }
  }, 45_000);

  it('fails clearly when the Web API never answers', async () => {
    fake.faults.set('auth.test', { kind: 'hang' });
    const exit = await run(fake.apiUrl);
    expect(exit.killed).toBe(false);
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeLessThan(STARTUP_BOUND_MS + 2000);
    expect(exit.err).toContain(`Slack's Web API at ${fake.apiUrl} did not answer auth.test`);
    expect(exit.err).toMatch(/check SLACK_API_URL/);
  }, 45_000);
});
