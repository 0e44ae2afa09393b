import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.js';
import { ConfigError, DEFAULT_CARDS_DIR } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('has sensible defaults with an empty environment: console only', () => {
    const config = loadConfig({});
    expect(config.cardsDir).toBe(DEFAULT_CARDS_DIR);
    expect(config.slack).toBeUndefined();
    expect(config.discord).toBeUndefined();
    expect(config.watch).toBe(true);
    expect(config.enrichment).toEqual({
      enabled: true,
      disabledChannels: [],
      maxActors: 3,
      cooldownMinutes: 30,
      allow: [],
      deny: [],
    });
  });

  it('reads every setting', () => {
    const config = loadConfig({
      CARDS_DIR: '/tmp/cards',
      CACHE_DIR: 'off',
      WATCH: 'no',
      ENRICH: 'false',
      ENRICH_DISABLED_CHANNELS: 'C1, C2',
      ENRICH_MAX_ACTORS: '5',
      ENRICH_COOLDOWN_MINUTES: '0',
      ENRICH_ALLOW: 'Patchwork',
      ENRICH_DENY: 'Lead,Safe',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_ANSWER_IN_CHANNEL: 'yes',
      DISCORD_TOKEN: 'd',
      DISCORD_APPLICATION_ID: '123456789012345678',
    });
    expect(config).toMatchObject({
      cardsDir: '/tmp/cards',
      cacheDir: false,
      watch: false,
      enrichment: {
        enabled: false,
        disabledChannels: ['C1', 'C2'],
        maxActors: 5,
        cooldownMinutes: 0,
        allow: ['Patchwork'],
        deny: ['Lead', 'Safe'],
      },
      slack: { botToken: 'xoxb-1', appToken: 'xapp-1', answerInChannel: true, port: 3000 },
      discord: { token: 'd', applicationId: '123456789012345678', answerInChannel: false },
    });
  });

  it('lists every wrong value at once, naming the variable and never the secret', () => {
    const found = problems({
      SLACK_BOT_TOKEN: 'xoxp-secret-value',
      PORT: '99999',
      WATCH: 'maybe',
      ENRICH_MAX_ACTORS: '0',
      SLACK_API_URL: 'ftp://x',
      DISCORD_APPLICATION_ID: 'abc',
      LOG_LEVEL: 'loud',
    });
    expect(found.join('\n')).not.toMatch(/secret-value/);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SLACK_BOT_TOKEN should start with "xoxb-"/),
        expect.stringMatching(/^SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN/),
        expect.stringMatching(/^PORT must be a whole number from 0 to 65535/),
        expect.stringMatching(/^WATCH must be true or false/),
        expect.stringMatching(/^ENRICH_MAX_ACTORS must be a whole number from 1 to 10/),
        expect.stringMatching(/^SLACK_API_URL must be an http\(s\) URL/),
        expect.stringMatching(/^DISCORD_APPLICATION_ID must be the numeric application id/),
        expect.stringMatching(/^LOG_LEVEL must be one of/),
      ]),
    );
  });

  it('needs the bot token when other Slack settings are given', () => {
    expect(problems({ SLACK_SIGNING_SECRET: 's' })).toEqual([
      'SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not',
    ]);
  });
});

describe('state settings', () => {
  it('defaults to the file in $XDG_STATE_HOME/aptcard, with no Redis', () => {
    const config = loadConfig({});
    expect(config.state).toEqual({
      dir: join(String(process.env.XDG_STATE_HOME), 'aptcard'),
      redisPrefix: 'aptcard:',
      timeoutMs: 500,
    });
  });

  it('reads STATE_DIR, REDIS_URL, REDIS_PREFIX and STATE_TIMEOUT_MS', () => {
    const config = loadConfig({
      STATE_DIR: '/var/lib/aptcard',
      REDIS_URL: 'redis://:pw@10.0.0.5:6380/2',
      REDIS_PREFIX: 'bot1:',
      STATE_TIMEOUT_MS: '200',
    });
    expect(config.state).toEqual({
      dir: '/var/lib/aptcard',
      redisUrl: 'redis://:pw@10.0.0.5:6380/2',
      redisPrefix: 'bot1:',
      timeoutMs: 200,
    });
  });

  it('says what is wrong with a bad REDIS_URL or STATE_TIMEOUT_MS', () => {
    expect(problems({ REDIS_URL: 'http://localhost:6379', STATE_TIMEOUT_MS: 'soon' })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL',
      'STATE_TIMEOUT_MS must be a whole number from 10 to 10000 (got "soon")',
    ]);
  });
});

describe('logger redaction', () => {
  it('never prints a token in a logged object', async () => {
    const { createLogger } = await import('../src/log.js');
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const logger = createLogger(sink, 'info');
    logger.info(
      {
        token: 'xoxb-1',
        botToken: 'xoxb-2',
        slack: { appToken: 'xapp-3', signingSecret: 'sig-4' },
        request: { headers: { authorization: 'Bot disc-5' } },
        config: { discord: { token: 'disc-6' } },
      },
      'starting',
    );
    expect(out).toMatch(/"msg":"starting"/);
    for (const secret of ['xoxb-1', 'xoxb-2', 'xapp-3', 'sig-4', 'disc-5', 'disc-6']) {
      expect(out).not.toContain(secret);
    }
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(6);
  });
});
