/**
 * End to end through the real discord.js Client against the local fake REST + gateway: slash
 * command, autocomplete, mentions, enrichment, buttons, no pings, and a handler that throws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordAdapter, startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot.js';
import type { DirectRequest, Reply } from '../../src/core/types.js';
import { limitViolations } from '../discord/limits.js';
import {
  APP_ID,
  BOT_USER,
  CHANNEL_ID,
  FakeDiscord,
  type FakeMessage,
  HUMAN,
  OTHER_BOT,
  OTHER_CHANNEL_ID,
  type RecordedRequest,
  THREAD_ID,
  TOKEN,
  USER_ID,
} from '../fakes/discord.js';
import {
  discordEnricher,
  fixtureLibrary,
  memoryLogger,
  RED_ALPHA_UUID,
  SEED_UUID,
  TRAP_UUID,
} from './discord-setup.js';

/** The core bot, except that any request mentioning "explode" throws out of `handle`. */
class ExplodingBot extends Bot {
  override handle(request: DirectRequest): Reply | null {
    if (request.text.includes('explode')) throw new Error('boom: handler failure for the test');
    return super.handle(request);
  }
}

let fake: FakeDiscord;
let adapter: DiscordAdapter;
let cleanup: () => void = () => {};
const log = memoryLogger();

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const f = fixtureLibrary();
  cleanup = f.cleanup;
  const enricher = discordEnricher();
  const bot = new ExplodingBot(f.library, { enricher, scanner: enricher }); // as aptcard start has it
  adapter = await startDiscord(
    bot,
    {
      token: TOKEN,
      applicationId: APP_ID,
      apiUrl: fake.apiUrl,
      answerInChannel: false,
      enrichChannels: [CHANNEL_ID],
    },
    { logger: log.logger },
  );
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
  cleanup();
});

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

const callbackOf = (id: string) =>
  fake.waitForRequest((r) => r.path.startsWith(`/api/v10/interactions/${id}/`));

const replyTo = (messageId: string) =>
  fake.waitForRequest(
    (r) => r.method === 'POST' && obj(obj(r.body).message_reference).message_id === messageId,
  );

function data(r: RecordedRequest): Obj {
  const body = obj(r.body);
  return 'type' in body && 'data' in body ? obj(body.data) : body;
}
function embed(r: RecordedRequest): Obj {
  const embeds = data(r).embeds;
  return Array.isArray(embeds) ? obj(embeds[0]) : {};
}
function customIds(r: RecordedRequest): string[] {
  const rows = data(r).components;
  return (Array.isArray(rows) ? rows : []).flatMap((row) =>
    (obj(row).components as unknown[]).map((c) => String(obj(c).custom_id)),
  );
}
function button(r: RecordedRequest, customId: string): Obj | undefined {
  const rows = data(r).components;
  return (Array.isArray(rows) ? rows : [])
    .flatMap((row) => obj(row).components as unknown[])
    .map(obj)
    .find((c) => c.custom_id === customId);
}
/** The message the fake would show for a recorded answer (to press its buttons). */
function asMessage(r: RecordedRequest, flags = Number(data(r).flags ?? 0)): FakeMessage {
  return { ...fake.sentMessage(CHANNEL_ID, data(r)), flags };
}

/**
 * Whether a message with no answer really got none: send `sentinel` (a mention) after it in the
 * same channel; once the sentinel is answered, anything the first one caused would have been sent.
 */
async function expectNoReplyTo(
  messageId: string,
  channelId = CHANNEL_ID,
  already = 0,
): Promise<void> {
  const sentinel = fake.messageCreate(`<@${BOT_USER.id}> apt 21`, {
    mentions: [BOT_USER],
    channelId,
  });
  await replyTo(sentinel);
  expect(
    fake.requests.filter((r) => obj(obj(r.body).message_reference).message_id === messageId),
  ).toHaveLength(already);
}

describe('Discord adapter, end to end', () => {
  it('is ready as the bot user, with the Message Content intent for enrichment', () => {
    expect(adapter.client.isReady()).toBe(true);
    expect(adapter.client.user?.id).toBe(BOT_USER.id);
    expect(adapter.enrichment).toBe(true);
    expect(fake.identifies).toHaveLength(1);
  });

  let cardAnswer: RecordedRequest;

  it('answers /apt with an ephemeral profile-card embed and a Share button', async () => {
    const id = fake.slashCommand('APT21');
    cardAnswer = await callbackOf(id);
    expect(obj(cardAnswer.body).type).toBe(4);
    expect(cardAnswer.authorization).toBeUndefined();
    expect(data(cardAnswer).flags).toBe(64);
    const e = embed(cardAnswer);
    // The first screen: names, aliases, key facts, the latest operations; the description is
    // one button away.
    expect(e.title).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(String(e.description)).toMatch(/^\*\*Aliases\*\*: .*APT 21 \(Mandiant\)/);
    expect(String(e.description)).not.toContain('**RedAlpha**');
    expect(obj(e.footer).text).toBe(`Source last modified 2020-04-19 · UUID ${SEED_UUID}`);
    const fields = e.fields as Obj[];
    expect(fields[0]).toMatchObject({ name: 'Country', value: 'China', inline: true });
    expect(String(fields.find((f) => String(f.name).startsWith('2015-12'))?.value)).toContain(
      '[unit42.paloaltonetworks.com](https://unit42.paloaltonetworks.com/',
    );
    expect(customIds(cardAnswer)).toEqual([
      `full:${SEED_UUID}`,
      `pics:${SEED_UUID}`,
      `share:show:${SEED_UUID}`,
      `show:${RED_ALPHA_UUID}`,
    ]);
    expect(limitViolations(data(cardAnswer))).toEqual([]);
  });

  it('defers an interaction that arrives late, then edits the original answer', async () => {
    const id = fake.slashCommand('hammer panda', { ageMs: 2500 });
    const deferred = await callbackOf(id);
    expect(obj(deferred.body)).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r.path.includes(`itoken-${id}/messages/`),
    );
    expect(edit.path).toBe(`/api/v10/webhooks/${APP_ID}/itoken-${id}/messages/%40original`);
    expect(embed(edit).title).toBe('NetTraveler, APT 21, Hammer Panda');
  });

  it('offers autocomplete choices with alias and actor name', async () => {
    const id = fake.autocomplete('hammer');
    const r = await callbackOf(id);
    expect(obj(r.body).type).toBe(8);
    const choices = obj(obj(r.body).data).choices as { name: string; value: string }[];
    expect(choices).toContainEqual({ name: 'Hammer Panda (NetTraveler)', value: 'Hammer Panda' });
    expect(choices.length).toBeLessThanOrEqual(25);
  });

  it('answers a mention with a reply carrying the card', async () => {
    const id = fake.messageCreate(`<@${BOT_USER.id}> who is apt 21?`, { mentions: [BOT_USER] });
    const r = await replyTo(id);
    expect(r.path).toBe(`/api/v10/channels/${CHANNEL_ID}/messages`);
    expect(r.authorization).toBe(`Bot ${TOKEN}`);
    expect(embed(r).title).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(obj(r.body).allowed_mentions).toEqual({ parse: [], replied_user: false });
    // Public answer: no Share button.
    expect(customIds(r).some((c) => c.startsWith('share:'))).toBe(false);
  });

  it('answers a mention naming two actors with a line and a Show card button for each', async () => {
    const text = `<@${BOT_USER.id}> is this hammer panda or RedAlpha?`;
    const r = await replyTo(fake.messageCreate(text, { mentions: [BOT_USER] }));
    expect(String(embed(r).description)).toContain('**NetTraveler**');
    expect(customIds(r)).toEqual([`show:${SEED_UUID}`, `show:${RED_ALPHA_UUID}`]);
    expect(obj(r.body).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('does not treat a reply to the bot (no @-mention in the text) as a question', async () => {
    const id = fake.messageCreate('thanks, that helps', { mentions: [BOT_USER] });
    await expectNoReplyTo(id);
  });

  let enrichment: RecordedRequest;

  it('enriches an allow-listed channel message with a compact reply and Show card buttons', async () => {
    const id = fake.messageCreate('Seeing Hammer Panda infrastructure again today');
    enrichment = await replyTo(id);
    const e = embed(enrichment);
    expect(String(e.description)).toContain('**NetTraveler**');
    expect(String(e.description)).toContain('APT 21 (Mandiant)');
    expect(button(enrichment, `show:${SEED_UUID}`)?.label).toBe('Show card: NetTraveler');
  });

  it('enriches threads of an allow-listed channel', async () => {
    const id = fake.messageCreate('RedAlpha phishing wave', { channelId: THREAD_ID });
    const r = await replyTo(id);
    expect(r.path).toBe(`/api/v10/channels/${THREAD_ID}/messages`);
    expect(customIds(r)).toEqual([`show:${RED_ALPHA_UUID}`, `mute:${RED_ALPHA_UUID}`]);
  });

  it('does not enrich other channels, bots, itself, or edits that add nothing new', async () => {
    const other = fake.messageCreate('Hammer Panda again', { channelId: OTHER_CHANNEL_ID });
    await expectNoReplyTo(other, OTHER_CHANNEL_ID);
    const fromBot = fake.messageCreate('Hammer Panda again', { author: OTHER_BOT });
    await expectNoReplyTo(fromBot);
    const fromSelf = fake.messageCreate('Hammer Panda again', { author: BOT_USER });
    await expectNoReplyTo(fromSelf);

    const id = fake.messageCreate('Hammer Panda is back');
    const first = await replyTo(id);
    expect(customIds(first)).toEqual([`show:${SEED_UUID}`, `mute:${SEED_UUID}`]);
    fake.messageUpdate(id, 'Hammer Panda is back'); // a link preview: same text
    fake.messageUpdate(id, 'Hammer Panda is back (confirmed by NetTraveler samples)');
    await expectNoReplyTo(id, CHANNEL_ID, 1);
  });

  it('makes the reply follow its message: a line added, a line dropped, deleted with it', async () => {
    const id = fake.messageCreate('Hammer Panda is back');
    const first = await replyTo(id);
    expect(customIds(first)).toEqual([`show:${SEED_UUID}`, `mute:${SEED_UUID}`]);
    const edits = () => fake.requests.filter((r) => r.method === 'PATCH');
    const before = edits().length;

    // Naming a new actor adds its line to the same reply (not a second reply).
    fake.messageUpdate(id, 'Hammer Panda is back, with RedAlpha');
    const added = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && !edits().slice(0, before).includes(r),
    );
    expect(added.path).toMatch(new RegExp(`^/api/v10/channels/${CHANNEL_ID}/messages/\\d+$`));
    expect(customIds(added)).toEqual([
      `show:${SEED_UUID}`,
      `mute:${SEED_UUID}`,
      `show:${RED_ALPHA_UUID}`,
      `mute:${RED_ALPHA_UUID}`,
    ]);
    expect(obj(obj(added.body).allowed_mentions)).toMatchObject({ parse: [] });

    // Editing a name away drops its line.
    fake.messageUpdate(id, 'only RedAlpha after all');
    const dropped = await fake.waitForRequest(
      (r) => r.method === 'PATCH' && r !== added && !edits().slice(0, before).includes(r),
    );
    expect(dropped.path).toBe(added.path);
    expect(customIds(dropped)).toEqual([`show:${RED_ALPHA_UUID}`, `mute:${RED_ALPHA_UUID}`]);

    // The message deleted: the reply goes too.
    fake.messageDelete(id);
    const deleted = await fake.waitForRequest((r) => r.method === 'DELETE');
    expect(deleted.path).toBe(added.path);
  });

  it('updates an ephemeral answer in place when a related-actor button is pressed', async () => {
    const id = fake.pressButton(`show:${RED_ALPHA_UUID}`, asMessage(cardAnswer));
    const r = await callbackOf(id);
    expect(obj(r.body).type).toBe(7);
    expect(embed(r).title).toBe('RedAlpha');
    expect(customIds(r)).toContain(`share:show:${RED_ALPHA_UUID}`);
  });

  it('posts a shared answer for everyone, naming who shared it without pinging', async () => {
    const id = fake.pressButton(`share:show:${SEED_UUID}`, asMessage(cardAnswer));
    const r = await callbackOf(id);
    expect(obj(r.body).type).toBe(4);
    expect(data(r).flags ?? 0).toBe(0);
    expect(data(r).content).toBe(`Shared by <@${USER_ID}>`);
    expect(data(r).allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(embed(r).title).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(customIds(r).some((c) => c.startsWith('share:'))).toBe(false);
  });

  it('answers Show card on a public enrichment privately, as a new message', async () => {
    const id = fake.pressButton(`show:${SEED_UUID}`, asMessage(enrichment, 0));
    const r = await callbackOf(id);
    expect(obj(r.body).type).toBe(4);
    expect(data(r).flags).toBe(64);
    expect(embed(r).title).toBe('NetTraveler, APT 21, Hammer Panda');
  });

  it('says when a card is only the closest match, and never profiles a number no card has', async () => {
    const typo = await callbackOf(fake.slashCommand('hamer panda'));
    expect(embed(typo).title).toBe('NetTraveler, APT 21, Hammer Panda');
    expect(data(typo).content).toBe('Closest match for "hamer panda": Hammer Panda (NetTraveler)');
    expect(data(typo).allowed_mentions).toMatchObject({ parse: [] });
    const near = await callbackOf(fake.slashCommand('apt 28'));
    expect(embed(near).title).toBe('No card for "apt 28"');
    expect(String(embed(near).description)).toContain('Same prefix: NetTraveler (as APT 21)');
  });

  it('offers candidates for a shared alias, and a list with a select menu', async () => {
    const twin = await callbackOf(fake.slashCommand('twin kitten'));
    expect(String(embed(twin).title)).toContain('2 different actors');
    expect(customIds(twin).filter((c) => c.startsWith('show:'))).toHaveLength(2);
    expect(customIds(twin)).toContain('share:list:0:twin kitten');

    const list = await callbackOf(fake.slashCommand('country:china'));
    expect(String(embed(list).title)).toBe('2 actors match “country:china”');
    const pick = await callbackOf(
      fake.chooseOption('pick:list', `show:${RED_ALPHA_UUID}`, asMessage(list)),
    );
    expect(obj(pick.body).type).toBe(7);
    expect(embed(pick).title).toBe('RedAlpha');
  });

  it('keeps Share on a list whose query is too long for a custom id, and shares it', async () => {
    const query = `country:china ${'sector:government '.repeat(6)}`.trim();
    const list = await callbackOf(fake.slashCommand(query));
    expect(String(embed(list).title)).toContain('actors match');
    const share = customIds(list).find((c) => c.startsWith('share:'));
    expect(share).toMatch(/^share:qref:0:[\w-]{16}$/);
    const r = await callbackOf(fake.pressButton(share ?? '', asMessage(list)));
    expect(data(r).content).toBe(`Shared by <@${USER_ID}>`);
    expect(embed(r).title).toBe(embed(list).title);
  });

  it('escapes markdown and mentions from card text and queries', async () => {
    const trap = await callbackOf(fake.slashCommand('ping spider'));
    expect(embed(trap).title).toBe('Mention Trap');
    // The description is on the full card, in its second embed.
    const full = await callbackOf(fake.pressButton(`full:${TRAP_UUID}`, asMessage(trap)));
    const e = obj((data(full).embeds as unknown[])[1]);
    const text = JSON.stringify(data(full).embeds);
    expect(String(obj(e.footer).text)).toContain(TRAP_UUID);
    const description = String(e.description);
    expect(description).toContain('@\u200beveryone');
    expect(description).toContain('@\u200bhere');
    expect(description).toContain('<@&\u200b123>');
    expect(description).toContain('<@\u200b456>');
    expect(description).toContain('\\*\\*bold\\*\\*');
    expect(description).toContain('\\|\\|spoiler\\|\\|');
    expect(description).toContain('\\`');
    expect(description).toContain('\\> a quoted line');
    expect(text).not.toMatch(/(?<!\u200b)@everyone|<@&123>|<@456>/);

    // Pings before a name are dropped from the query; after it they are echoed, made inert.
    const query = await callbackOf(fake.slashCommand('**x** @everyone <@&123> <@456> @here'));
    expect(String(embed(query).title)).not.toMatch(/@everyone|@here|<@&123>|<@456>|\*\*x/);
    expect(String(embed(query).title)).toContain('@\u200beveryone');
    const leading = await callbackOf(fake.slashCommand('@everyone <@&123> zzzzqqq'));
    expect(String(embed(leading).title)).toBe('No card for "zzzzqqq"');
  });

  it('survives a throwing handler: error reply to the user, details in the log', async () => {
    const r = await callbackOf(fake.slashCommand('explode now'));
    expect(obj(r.body).type).toBe(4);
    expect(data(r).flags).toBe(64);
    expect(embed(r).title).toBe('Sorry');
    expect(String(embed(r).description)).toContain('something went wrong');
    expect(log.lines().some((l) => l.level === 50 && /handler failed/.test(String(l.msg)))).toBe(
      true,
    );

    const mention = fake.messageCreate(`<@${BOT_USER.id}> explode`, { mentions: [BOT_USER] });
    expect(embed(await replyTo(mention)).title).toBe('Sorry');

    const passive = fake.messageCreate('explode Hammer Panda');
    await expectNoReplyTo(passive);

    // The client is still connected and still answers.
    expect(adapter.client.isReady()).toBe(true);
    const after = await callbackOf(fake.slashCommand('apt 21'));
    expect(embed(after).title).toBe('NetTraveler, APT 21, Hammer Panda');
  });

  it('never pings: allowed_mentions.parse is empty on every message sent', () => {
    const bodies = fake.messageBodies();
    expect(bodies.length).toBeGreaterThan(15);
    for (const { request, data: d } of bodies) {
      expect({ path: request.path, allowed: d.allowed_mentions }).toEqual({
        path: request.path,
        allowed: { parse: [], replied_user: false },
      });
      expect(limitViolations(d)).toEqual([]);
    }
    expect(HUMAN.id).toBe(USER_ID);
  });
});
