import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_PERMISSIONS } from '../../adapters/discord/register.js';
import { main } from '../../app/cli.js';
import { APP_ID, FakeDiscord, GUILD_ID, TOKEN } from '../fakes/discord.js';
import { fakeIO } from '../helpers/cli.js';

function io(env: Record<string, string | undefined>) {
  // No background sync of the public catalogs: tests never reach the internet.
  const { io: cli, out, err } = fakeIO({ SYNC_ON_START: 'false', ...env });
  return { cli, out, err };
}

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake?.close();
});

const discordEnv = () => ({
  DISCORD_TOKEN: TOKEN,
  DISCORD_APPLICATION_ID: APP_ID,
  DISCORD_API_URL: fake.apiUrl,
});

describe('aptcard discord register', () => {
  it('registers /apt in one guild', async () => {
    const t = io(discordEnv());
    expect(await main(['discord', 'register', '--guild', GUILD_ID], t.cli)).toBe(0);
    const put = await fake.waitForRequest((r) => r.method === 'PUT' && r.path.includes('/guilds/'));
    expect(put.path).toBe(`/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    expect(put.authorization).toBe(`Bot ${TOKEN}`);
    const [command] = put.body as { name: string; options: Record<string, unknown>[] }[];
    expect(command?.name).toBe('apt');
    expect(command?.options[0]).toMatchObject({
      name: 'query',
      type: 3,
      required: true,
      autocomplete: true,
    });
    expect(t.out()).toContain(`Registered /apt in server ${GUILD_ID}`);
    expect(t.err()).toBe('');
  });

  it('registers /apt globally and says it takes longer', async () => {
    const t = io(discordEnv());
    expect(await main(['discord', 'register'], t.cli)).toBe(0);
    const put = await fake.waitForRequest(
      (r) => r.method === 'PUT' && r.path === `/api/v10/applications/${APP_ID}/commands`,
    );
    expect(Array.isArray(put.body)).toBe(true);
    expect(t.out()).toMatch(/globally.*up to an hour/);
  });

  it('explains a rejected token without printing it', async () => {
    const t = io({ ...discordEnv(), DISCORD_TOKEN: 'wrong-token-value' });
    expect(await main(['discord', 'register', '--guild', GUILD_ID], t.cli)).toBe(1);
    expect(t.err()).toMatch(/rejected DISCORD_TOKEN/);
    expect(t.err()).not.toContain('wrong-token-value');
  });

  it('needs the token and application id, and a numeric guild id', async () => {
    const missing = io({});
    expect(await main(['discord', 'register'], missing.cli)).toBe(2);
    expect(missing.err()).toMatch(/DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
    const badGuild = io(discordEnv());
    expect(await main(['discord', 'register', '--guild', 'general'], badGuild.cli)).toBe(2);
    expect(badGuild.err()).toMatch(/--guild must be the numeric server id/);
    const noSub = io(discordEnv());
    expect(await main(['discord'], noSub.cli)).toBe(2);
  });

  it('prints the invite link with both scopes and the permissions the bot needs', async () => {
    const t = io({ DISCORD_APPLICATION_ID: APP_ID });
    expect(await main(['discord', 'invite'], t.cli)).toBe(0);
    const url = new URL(t.out().trim());
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe(APP_ID);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(url.searchParams.get('permissions')).toBe(BOT_PERMISSIONS.toString());
  });
});

describe('aptcard start with DISCORD_TOKEN', () => {
  it('connects to Discord instead of the console, and stops cleanly on SIGTERM (ENRICH=false honoured)', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const identified = new Promise<void>((resolve) => fake.once('identify', () => resolve()));
    // Cards: the bundled seeds/ folder (no CARDS_DIR).
    // ENRICH=false wins over DISCORD_ENRICH_CHANNELS: no Message Content intent is asked for.
    const t = io({
      ...discordEnv(),
      CACHE_DIR: 'off',
      LOG_LEVEL: 'silent',
      WATCH: 'false',
      ENRICH: 'false',
      DISCORD_ENRICH_CHANNELS: '*',
    });
    const exit = main(['start'], t.cli);
    await identified;
    // Wait for start to be listening for SIGTERM, then deliver it to that listener only
    // (a real process.kill would also reach vitest's own handlers).
    const added = () => process.listeners('SIGTERM').filter((l) => !before.has(l));
    await fake.waitUntil(() => added().length > 0);
    expect(fake.connected).toBe(1);
    expect((fake.identifies.at(-1) ?? -1) & GatewayIntentBits.MessageContent).toBe(0);
    const onSigterm = added()[0] as (signal: NodeJS.Signals) => void;
    onSigterm('SIGTERM');
    expect(await exit).toBe(0);
    expect(t.out()).not.toContain('aptcard console');
    await fake.waitUntil(() => fake.connected === 0);
    expect(added()).toEqual([]);
  });
});
