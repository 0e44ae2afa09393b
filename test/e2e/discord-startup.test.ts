/**
 * Start-up against the fake Discord: a refused Message Content intent is explained in the log
 * and the adapter carries on without enrichment; a wrong token is a clear error, not a hang.
 */
import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import { MESSAGE_CONTENT_REFUSED, startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot.js';
import {
  APP_ID,
  BOT_USER,
  CHANNEL_ID,
  FakeDiscord,
  OTHER_CHANNEL_ID,
  TOKEN,
} from '../fakes/discord.js';
import { discordEnricher, fixtureLibrary, memoryLogger } from './discord-setup.js';

const MESSAGE_CONTENT = GatewayIntentBits.MessageContent;
let cleanup: () => void = () => {};
let bot: Bot;

beforeAll(() => {
  const f = fixtureLibrary();
  cleanup = f.cleanup;
  bot = new Bot(f.library, { enricher: discordEnricher() });
});
afterAll(() => cleanup());

const config = (fake: FakeDiscord, enrichChannels: string[]): DiscordConfig => ({
  token: TOKEN,
  applicationId: APP_ID,
  apiUrl: fake.apiUrl,
  answerInChannel: false,
  enrichChannels,
});

describe('Discord start-up', () => {
  it('asks for Message Content only when enrichment is configured', async () => {
    const fake = await FakeDiscord.start();
    try {
      const adapter = await startDiscord(bot, config(fake, []), { logger: memoryLogger().logger });
      expect(adapter.enrichment).toBe(false);
      expect(fake.identifies).toHaveLength(1);
      expect((fake.identifies[0] ?? 0) & MESSAGE_CONTENT).toBe(0);
      await adapter.stop();
    } finally {
      await fake.close();
    }
  });

  it('explains a refused Message Content intent and carries on without enrichment', async () => {
    const fake = await FakeDiscord.start({ refuseIntents: MESSAGE_CONTENT });
    const { logger, lines } = memoryLogger();
    try {
      const adapter = await startDiscord(bot, config(fake, [CHANNEL_ID]), { logger });
      expect(adapter.enrichment).toBe(false);
      expect(adapter.client.isReady()).toBe(true);
      expect(fake.identifies.map((i) => Boolean(i & MESSAGE_CONTENT))).toEqual([true, false]);
      const refused = lines().find((l) => l.msg === MESSAGE_CONTENT_REFUSED);
      expect(refused?.level).toBe(50);
      expect(MESSAGE_CONTENT_REFUSED).toMatch(/Message Content Intent/);
      // Still answers /apt.
      const id = fake.slashCommand('hammer panda');
      const callback = await fake.waitForRequest((r) => r.path.includes(`/interactions/${id}/`));
      expect(JSON.stringify(callback.body)).toContain('NetTraveler');
      await adapter.stop();
    } finally {
      await fake.close();
    }
  });

  it('answers /apt publicly with DISCORD_ANSWER_IN_CHANNEL, and "*" enriches every channel', async () => {
    const fake = await FakeDiscord.start();
    try {
      const adapter = await startDiscord(
        bot,
        { ...config(fake, ['*']), answerInChannel: true },
        { logger: memoryLogger().logger },
      );
      const id = fake.slashCommand('hammer panda');
      const r = await fake.waitForRequest((q) => q.path.includes(`/interactions/${id}/`));
      const data = (r.body as { data: { flags?: number; components: unknown[] } }).data;
      expect(data.flags ?? 0).toBe(0);
      expect(JSON.stringify(data.components)).not.toContain('share:');
      const message = fake.messageCreate('RedAlpha again', { channelId: OTHER_CHANNEL_ID });
      const reply = await fake.waitForRequest((q) =>
        JSON.stringify(q.body).includes(`"message_id":"${message}"`),
      );
      expect(reply.path).toBe(`/api/v10/channels/${OTHER_CHANNEL_ID}/messages`);
      await adapter.stop();
    } finally {
      await fake.close();
    }
  });

  it('applies the core enrichment policy (cooldown per channel) on Discord', async () => {
    const fake = await FakeDiscord.start();
    const { library, cleanup: done } = fixtureLibrary();
    try {
      const policyBot = new Bot(library, { enricher: discordEnricher({ cooldownMinutes: 30 }) });
      const adapter = await startDiscord(policyBot, config(fake, [CHANNEL_ID]), {
        logger: memoryLogger().logger,
      });
      const replyTo = (id: string) =>
        fake.waitForRequest((q) => JSON.stringify(q.body).includes(`"message_id":"${id}"`));
      await replyTo(fake.messageCreate('RedAlpha again'));
      const second = fake.messageCreate('RedAlpha, still');
      // The sentinel (a mention after it) is answered; the cooled-down message is not.
      await replyTo(fake.messageCreate(`<@${BOT_USER.id}> redalpha`, { mentions: [BOT_USER] }));
      expect(fake.requests.some((q) => JSON.stringify(q.body).includes(second))).toBe(false);
      await adapter.stop();
    } finally {
      done();
      await fake.close();
    }
  });

  it('logs an unrecoverable gateway close after start-up', async () => {
    const fake = await FakeDiscord.start();
    const { logger, lines } = memoryLogger();
    try {
      const adapter = await startDiscord(bot, config(fake, []), { logger });
      fake.closeGateway(4004, 'Authentication failed');
      await fake.waitUntil(() =>
        lines().some(
          (l) => l.level === 50 && /DISCORD_TOKEN.*not reconnecting/.test(String(l.msg)),
        ),
      );
      await adapter.stop();
    } finally {
      await fake.close();
    }
  });

  it('rejects a token Discord refuses, with a clear message', async () => {
    const fake = await FakeDiscord.start({ rejectToken: true });
    try {
      await expect(
        startDiscord(bot, config(fake, []), { logger: memoryLogger().logger }),
      ).rejects.toThrow(/DISCORD_TOKEN/);
    } finally {
      await fake.close();
    }
  });
});
