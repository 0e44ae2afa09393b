/**
 * Channel controls from chat on Discord, through the real discord.js client against the fake
 * Discord, with a real SQLite state file: `/apt settings` shows anyone the channel's settings
 * and lets members with Manage Channels change them, a channel switched on from chat is
 * enriched though DISCORD_ENRICH_CHANNELS does not list it, "Not this actor" mutes a name and
 * takes its line out of the reply, and a client without the Message Content intent says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordAdapter, startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import {
  APP_ID,
  BOT_USER,
  CHANNEL_ID,
  FakeDiscord,
  type FakeMessage,
  MANAGER_PERMISSIONS,
  OTHER_CHANNEL_ID,
  type RecordedRequest,
  TOKEN,
  USER_ID,
} from '../fakes/discord.js';
import {
  discordEnricher,
  fixtureLibrary,
  memoryLogger,
  RED_ALPHA_UUID,
  SEED_UUID,
} from './discord-setup.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
function data(r: RecordedRequest): Obj {
  const body = obj(r.body);
  return 'type' in body && 'data' in body ? obj(body.data) : body;
}
const embed = (r: RecordedRequest) => obj((data(r).embeds as unknown[] | undefined)?.[0]);
const described = (r: RecordedRequest) => String(embed(r).description);
function customIds(r: RecordedRequest): string[] {
  const rows = data(r).components;
  return (Array.isArray(rows) ? rows : []).flatMap((row) =>
    (obj(row).components as unknown[]).map((c) => String(obj(c).custom_id)),
  );
}

const stateDir = mkdtempSync(join(tmpdir(), 'aptcard-discord-settings-'));
const log = memoryLogger();
let fake: FakeDiscord;
let cleanup = () => {};
let library: Bot['library'];

async function run(f: FakeDiscord, enrichChannels: string[]) {
  const store = SqliteStore.open(stateDir);
  const bot = new Bot(library, { enricher: discordEnricher({}, store), store });
  const adapter: DiscordAdapter = await startDiscord(
    bot,
    {
      token: TOKEN,
      applicationId: APP_ID,
      apiUrl: f.apiUrl,
      answerInChannel: true,
      enrichChannels,
    },
    { logger: log.logger },
  );
  return {
    adapter,
    async stop() {
      await adapter.stop();
      await store.close();
    },
  };
}
let bot: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const f = fixtureLibrary();
  cleanup = f.cleanup;
  library = f.library;
  bot = await run(fake, [CHANNEL_ID]);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  cleanup();
  rmSync(stateDir, { recursive: true, force: true });
});

const callbackOf = (f: FakeDiscord, id: string) =>
  f.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${id}/`));
const replyTo = (messageId: string) =>
  fake.waitForRequest(
    (r) => r.method === 'POST' && obj(obj(r.body).message_reference).message_id === messageId,
  );

/** `/apt <query>` in `channelId`; a manager has Manage Channels there. */
function apt(query: string, channelId = CHANNEL_ID, manager = false, f = fake) {
  return callbackOf(
    f,
    f.slashCommand(query, { channelId, ...(manager ? { permissions: MANAGER_PERMISSIONS } : {}) }),
  );
}

/** Whether a message got no reply: a mention after it is answered, and it was not. */
async function expectNoReplyTo(messageId: string, channelId: string): Promise<void> {
  const sentinel = fake.messageCreate(`<@${BOT_USER.id}> apt 21`, {
    mentions: [BOT_USER],
    channelId,
  });
  await replyTo(sentinel);
  expect(
    fake.requests.filter((r) => obj(obj(r.body).message_reference).message_id === messageId),
  ).toEqual([]);
}

describe('/apt settings on Discord', () => {
  it('shows anyone the settings, privately even with DISCORD_ANSWER_IN_CHANNEL', async () => {
    const r = await apt('settings');
    expect(obj(r.body).type).toBe(4);
    expect(data(r).flags).toBe(64);
    expect(embed(r).title).toBe('Automatic cards in this channel');
    expect(described(r)).toContain('Automatic cards: on (default)');
    expect(described(r)).toContain(
      'Anyone can see these; members with the Manage Channels permission in this channel can change them.',
    );
    // A channel DISCORD_ENRICH_CHANNELS does not list: off by default.
    expect(described(await apt('settings', OTHER_CHANNEL_ID))).toContain(
      'Automatic cards: off (default)',
    );
  });

  it('refuses a change to a member without Manage Channels, saying who may', async () => {
    const r = await apt('settings on', OTHER_CHANNEL_ID);
    expect(data(r).flags).toBe(64);
    expect(described(r)).toContain(
      "**Not changed: only members with the Manage Channels permission in this channel can change this channel's settings.**",
    );
    const id = fake.messageCreate('Hammer Panda again', { channelId: OTHER_CHANNEL_ID });
    await expectNoReplyTo(id, OTHER_CHANNEL_ID);
  });

  it('enriches a channel switched on from chat though it is not listed, and stops where switched off', async () => {
    const on = await apt('settings on', OTHER_CHANNEL_ID, true);
    expect(described(on)).toMatch(/^\*\*Automatic cards are now on in this channel\.\*\*/);
    expect(described(on)).toContain(`Last changed by <@${USER_ID}>`);
    const id = fake.messageCreate('Hammer Panda again', { channelId: OTHER_CHANNEL_ID });
    expect(customIds(await replyTo(id))).toEqual([`show:${SEED_UUID}`, `mute:${SEED_UUID}`]);

    const off = await apt('settings off', CHANNEL_ID, true);
    expect(described(off)).toContain('Automatic cards are now off in this channel.');
    const quiet = fake.messageCreate('Hammer Panda in the listed channel');
    await expectNoReplyTo(quiet, CHANNEL_ID);
  });

  it('answers bad arguments with the usage', async () => {
    const r = await apt('settings cooldown soon', CHANNEL_ID, true);
    expect(described(r)).toMatch(/^\*\*Not a settings command: the cooldown is a duration/);
    const fields = embed(r).fields as Obj[];
    expect(String(fields[0]?.value)).toContain('/apt settings mute <name> | unmute <name>');
  });

  it('offers the settings forms in autocomplete', async () => {
    const r = await callbackOf(fake, fake.autocomplete('sett'));
    const choices = obj(obj(r.body).data).choices as { name: string; value: string }[];
    expect(choices.map((c) => c.value)).toEqual(
      expect.arrayContaining(['settings', 'settings on', 'settings off', 'settings reset']),
    );
  });
});

describe('"Not this actor" on Discord', () => {
  it('mutes the name here for anyone, hides its line, and deletes the reply when none is left', async () => {
    const id = fake.messageCreate('Hammer Panda with RedAlpha', { channelId: OTHER_CHANNEL_ID });
    const post = await replyTo(id);
    expect(customIds(post)).toEqual([
      `show:${SEED_UUID}`,
      `mute:${SEED_UUID}`,
      `show:${RED_ALPHA_UUID}`,
      `mute:${RED_ALPHA_UUID}`,
    ]);
    const message = post.response as FakeMessage;
    const path = `/api/v10/channels/${OTHER_CHANNEL_ID}/messages/${message.id}`;

    const pressed = await callbackOf(fake, fake.pressButton(`mute:${SEED_UUID}`, message));
    expect(obj(pressed.body).type).toBe(4);
    expect(data(pressed).flags).toBe(64);
    expect(described(pressed)).toContain(
      '"NetTraveler" is muted here: it gets no automatic card in this channel. To undo: /apt settings unmute NetTraveler',
    );
    const edit = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path === path);
    expect(customIds(edit)).toEqual([`show:${RED_ALPHA_UUID}`, `mute:${RED_ALPHA_UUID}`]);
    expect(obj(edit.body).allowed_mentions).toEqual({ parse: [], replied_user: false });

    // Muted here for everyone: the next message naming it gets nothing.
    const again = fake.messageCreate('Hammer Panda, still', { channelId: OTHER_CHANNEL_ID });
    await expectNoReplyTo(again, OTHER_CHANNEL_ID);

    // The last line: the reply goes.
    const edited = { ...message, components: data(edit).components as unknown[] };
    await callbackOf(fake, fake.pressButton(`mute:${RED_ALPHA_UUID}`, edited));
    await fake.waitForRequest((r) => r.method === 'DELETE' && r.path === path);

    const shown = await apt('settings', OTHER_CHANNEL_ID);
    expect(described(shown)).toContain(
      `Muted here: NetTraveler (by <@${USER_ID}>), RedAlpha (by <@${USER_ID}>)`,
    );
    expect(data(shown).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('keeps the settings over a restart', async () => {
    await bot.stop();
    bot = await run(fake, [CHANNEL_ID]);
    const shown = described(await apt('settings', OTHER_CHANNEL_ID));
    expect(shown).toContain('Automatic cards: on (set here)');
    expect(shown).toContain('Muted here: NetTraveler');
    expect(described(await apt('settings', CHANNEL_ID))).toContain(
      'Automatic cards: off (set here)',
    );
  });
});

describe('a client without the Message Content intent', () => {
  it('says "on" needs DISCORD_ENRICH_CHANNELS and the intent, instead of pretending', async () => {
    const bare = await FakeDiscord.start();
    const other = await run(bare, []);
    try {
      expect(other.adapter.enrichment).toBe(false);
      const r = await apt('settings on', CHANNEL_ID, true, bare);
      expect(data(r).flags).toBe(64);
      expect(described(r)).toMatch(
        /^\*\*Not changed: this bot runs without the Message Content intent, .*DISCORD\\_ENRICH\\_CHANNELS/,
      );
      expect(described(r)).toContain('Automatic cards: cannot run here');
    } finally {
      await other.stop();
      await bare.close();
    }
  });
});
