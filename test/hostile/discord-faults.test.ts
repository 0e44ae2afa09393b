/**
 * The real `aptcard start` (and the real discord.js client) against the local fake Discord with
 * its REST API failing. After a real SIGTERM the bot exits within its shutdown deadline
 * (SHUTDOWN_TIMEOUT) plus a margin and logs one warning naming how many replies were dropped,
 * interactions and mentions alike. At start, an API that cannot be reached (closed port, 500,
 * no answer) or a gateway that never gets ready fails start-up within a bound, with a message
 * that says what could not be reached and what to check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import { startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot.js';
import { discordEnricher, fixtureLibrary, memoryLogger } from '../e2e/discord-setup.js';
import {
  APP_ID,
  BOT_USER,
  CHANNEL_ID,
  FakeDiscord,
  OTHER_CHANNEL_ID,
  THREAD_ID,
  TOKEN,
} from '../fakes/discord.js';
import type { ApiFault } from '../fakes/faults.js';
import { SEEDS_DIR } from '../helpers/corpus.js';
import { type LiveLauncher, spawnLauncher } from '../helpers/launcher.js';
import { freePort } from '../helpers/redis.js';

/** SHUTDOWN_TIMEOUT in these tests (seconds), and the slack allowed on top of it. */
const DEADLINE_S = 2;
const MARGIN_MS = 3000;
/** What the issue asked for: a start-up that fails within 15-30 s, not never. */
const STARTUP_BOUND_MS = 30_000;

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function discordEnv(apiUrl: string, more: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'aptcard-discord-faults-'));
  folders.push(home);
  return {
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: apiUrl,
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

async function sigterm(bot: LiveLauncher) {
  const sent = performance.now();
  bot.signal('SIGTERM');
  const exit = await bot.exited;
  return { ...exit, afterMs: exit.at - sent };
}

describe('SIGTERM while Discord REST fails', () => {
  const faults: [string, ApiFault][] = [
    ['never answers', { kind: 'hang' }],
    ['answers after 8 s', { kind: 'delay', ms: 8000 }],
  ];
  it.each(faults)(
    'REST %s: exits within the deadline and logs how many replies were dropped',
    async (_name, fault) => {
      const fake = await FakeDiscord.start();
      try {
        const bot = spawnLauncher(['start'], {
          env: discordEnv(fake.apiUrl, { SHUTDOWN_TIMEOUT: String(DEADLINE_S) }),
        });
        await bot.waitForErr(/discord: connected/);
        fake.restFault = fault;
        const before = fake.requests.length;
        // Three mentions (answered with a message; one channel's messages queue behind each
        // other in discord.js, so one in each) and two /apt (answered with callbacks).
        for (const channelId of [CHANNEL_ID, OTHER_CHANNEL_ID, THREAD_ID]) {
          fake.messageCreate(`<@${BOT_USER.id}> who is hammer panda?`, {
            mentions: [BOT_USER],
            channelId,
          });
        }
        fake.slashCommand('hammer panda');
        fake.slashCommand('hammer panda', { channelId: OTHER_CHANNEL_ID });
        await fake.waitUntil(() => fake.requests.length - before >= 5);
        const exit = await sigterm(bot);
        expect(exit.killed).toBe(false);
        expect(exit.code).toBe(0);
        expect(exit.afterMs).toBeLessThan(DEADLINE_S * 1000 + MARGIN_MS);
        const warnings = logLines(bot.err()).filter((l) => (l.level ?? 0) >= 40);
        expect(warnings.map((w) => w.dropped)).toEqual([5]);
        expect(warnings[0]?.msg).toMatch(/5 replies dropped/);
      } finally {
        await fake.close();
      }
    },
    30_000,
  );

  it('waits for replies that finish before the deadline (and their records), drops none', async () => {
    const fake = await FakeDiscord.start();
    try {
      const bot = spawnLauncher(['start'], {
        env: discordEnv(fake.apiUrl, {
          SHUTDOWN_TIMEOUT: '10',
          DISCORD_ENRICH_CHANNELS: OTHER_CHANNEL_ID,
        }),
      });
      await bot.waitForErr(/discord: connected/);
      fake.restFault = { kind: 'delay', ms: 1000 };
      const posts = (channelId: string) =>
        fake.requests.filter(
          (r) => r.method === 'POST' && r.path === `/api/v10/channels/${channelId}/messages`,
        ).length;
      // Two mentions in one channel: discord.js sends the second reply after the first's answer.
      for (let i = 0; i < 2; i++) {
        fake.messageCreate(`<@${BOT_USER.id}> hammer panda`, { mentions: [BOT_USER] });
      }
      // An enrichment reply, whose record (for following edits) is written to the state store
      // after the post: the store must still be open then.
      fake.messageCreate('infra overlaps with TEMP.Zhenbao', { channelId: OTHER_CHANNEL_ID });
      await fake.waitUntil(() => posts(CHANNEL_ID) === 1 && posts(OTHER_CHANNEL_ID) === 1);
      const exit = await sigterm(bot);
      expect(exit.killed).toBe(false);
      expect(exit.code).toBe(0);
      expect(exit.afterMs).toBeLessThan(5000);
      // The queued reply was sent after the signal, before the exit.
      expect(posts(CHANNEL_ID)).toBe(2);
      const lines = logLines(bot.err());
      expect(lines.filter((l) => (l.level ?? 0) >= 40)).toEqual([]);
      expect(lines.find((l) => l.msg === 'discord: stopped')?.dropped).toBe(0);
    } finally {
      await fake.close();
    }
  }, 30_000);
});

describe('Discord start-up out of reach', () => {
  const run = async (apiUrl: string) => {
    const started = performance.now();
    const bot = spawnLauncher(['start'], {
      env: discordEnv(apiUrl, { LOG_LEVEL: 'silent' }),
      deadlineMs: STARTUP_BOUND_MS + 10_000,
    });
    const exit = await bot.exited;
    return { ...exit, ms: exit.at - started, err: bot.err() };
  };

  it('fails clearly when nothing listens at DISCORD_API_URL', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/api`;
    const exit = await run(closed);
    expect(exit.killed).toBe(false);
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeLessThan(STARTUP_BOUND_MS);
    expect(exit.err).toContain(`could not reach Discord's API at ${closed}`);
    expect(exit.err).toMatch(/ECONNREFUSED/);
    expect(exit.err).toMatch(/check DISCORD_API_URL/);
    expect(exit.err).not.toContain(TOKEN);
  }, 45_000);

  it('fails clearly when the API answers 500', async () => {
    const fake = await FakeDiscord.start();
    fake.restFault = { kind: 'status', status: 500 };
    try {
      const exit = await run(fake.apiUrl);
      expect(exit.killed).toBe(false);
      expect(exit.code).toBe(1);
      expect(exit.ms).toBeLessThan(STARTUP_BOUND_MS);
      expect(exit.err).toContain(
        `Discord's API at ${fake.apiUrl} answered HTTP 500 to GET /gateway/bot`,
      );
      expect(exit.err).toMatch(/discordstatus\.com/);
    } finally {
      await fake.close();
    }
  }, 45_000);

  it('fails clearly when the API never answers', async () => {
    const fake = await FakeDiscord.start();
    fake.restFault = { kind: 'hang' };
    try {
      const exit = await run(fake.apiUrl);
      expect(exit.killed).toBe(false);
      expect(exit.code).toBe(1);
      expect(exit.ms).toBeLessThan(STARTUP_BOUND_MS);
      expect(exit.err).toContain(`Discord's API at ${fake.apiUrl} did not answer within 10 s`);
      expect(exit.err).toMatch(/check DISCORD_API_URL/);
    } finally {
      await fake.close();
    }
  }, 45_000);

  it('gives up on a gateway that never gets ready, and says what to check', async () => {
    const fake = await FakeDiscord.start({ silentGateway: true });
    const { library, cleanup } = fixtureLibrary();
    try {
      const bot = new Bot(library, { enricher: discordEnricher() });
      const config: DiscordConfig = {
        token: TOKEN,
        applicationId: APP_ID,
        apiUrl: fake.apiUrl,
        answerInChannel: false,
        enrichChannels: [],
      };
      const started = performance.now();
      const failure = await startDiscord(bot, config, {
        logger: memoryLogger().logger,
        readyTimeoutMs: 1500,
      }).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(performance.now() - started).toBeLessThan(1500 + 2000);
      expect(failure?.message).toContain(
        `Discord's gateway did not get ready within 2 s of starting (its address came from ${fake.apiUrl})`,
      );
      expect(failure?.message).toMatch(/check DISCORD_API_URL/);
      // Not checked: that the gateway connection is closed. discord.js (@discordjs/ws 1.2)
      // destroyed while waiting for HELLO reconnects instead; `aptcard start` exits anyway
      // (bin/aptcard.js), and startDiscord returned within the bound above.
    } finally {
      cleanup();
      await fake.close();
    }
  });
});
