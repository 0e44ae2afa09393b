import { describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../adapters/console/session.js';
import { renderReply as renderDiscord } from '../../adapters/discord/render.js';
import { context } from '../../adapters/slack/blocks.js';
import { renderReply as renderSlack } from '../../adapters/slack/render.js';
import { Bot } from '../../src/bot.js';
import { Library } from '../../src/catalog/library.js';
import type { EnrichmentConfig } from '../../src/config.js';
import type { BotRequest, CompactActor, Reply } from '../../src/core/types.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import { defaultScanner } from '../../src/detect/index.js';
import { nextActions } from '../../src/reply/next.js';
import { renderText } from '../../src/reply/text.js';
import { SearchIndex } from '../../src/search/index.js';
import { ALL, fixtureCatalog, NETTRAVELER, SOFACY, TURLA } from '../fixtures/detect/cards.js';
import { enrichmentConfig } from '../helpers/enrichment.js';

const CONFIG: EnrichmentConfig = enrichmentConfig();

function setup(config: Partial<EnrichmentConfig> = {}) {
  let clock = 1_000_000;
  const enricher = new AliasEnricher({ ...CONFIG, ...config }, { now: () => clock });
  const index = new SearchIndex(fixtureCatalog());
  const message = (text: string, extra: Partial<BotRequest> = {}): BotRequest => ({
    kind: 'message',
    text,
    platform: 'slack',
    channel: 'C1',
    user: 'U1',
    ...extra,
  });
  return {
    enricher,
    index,
    send: (text: string, extra: Partial<BotRequest> = {}) =>
      enricher.enrich(message(text, extra), index),
    advance: (minutes: number) => {
      clock += minutes * 60_000;
    },
  };
}

async function actors(pending: Reply | null | Promise<Reply | null>): Promise<CompactActor[]> {
  const reply = await pending;
  if (!reply) return [];
  expect(reply.kind).toBe('enrichment');
  return reply.kind === 'enrichment' ? reply.actors : [];
}

const names = async (reply: Reply | null | Promise<Reply | null>) =>
  (await actors(reply)).map((a) => a.name);

describe('AliasEnricher', () => {
  it('answers with one compact line per actor: name, country, top aliases with vendors, first seen', async () => {
    const { send } = setup();
    const [actor, ...rest] = await actors(send('infra overlaps with TEMP.Zhenbao'));
    expect(rest).toEqual([]);
    expect(actor).toEqual({
      uuid: NETTRAVELER.card.uuid,
      name: 'NetTraveler',
      country: 'China',
      aliases: ['APT 21', 'Hammer Panda', 'TEMP.Zhenbao'],
      firstSeen: '2004',
      topAliases: ['NetTraveler (Vendor A)', 'APT 21 (Vendor B)', 'Hammer Panda (Vendor A)'],
      matched: ['TEMP.Zhenbao'],
    });
  });

  it('says nothing for a message that names no actor', async () => {
    const { send } = setup();
    expect(await send('Lead analyst is out, lunch at noon')).toBeNull();
    expect(await send('   ')).toBeNull();
  });

  it('lists every alias form the message used, once per actor', async () => {
    const { send } = setup();
    const [actor] = await actors(send('APT21 = Hammer Panda = apt-21'));
    expect(actor?.matched).toEqual(['APT 21', 'Hammer Panda']);
  });

  it('posts at most maxActors actors, in the order the message names them', async () => {
    const text = 'Turla, Sofacy, TEMP.Zhenbao and Group72 all at once';
    expect(await names(setup().send(text))).toEqual(['Turla', 'Sofacy', 'NetTraveler']);
    expect(await names(setup({ maxActors: 1 }).send(text))).toEqual(['Turla']);
  });

  it('posts each actor once per cooldown per channel, and again after it', async () => {
    const { send, advance } = setup({ cooldownMinutes: 30 });
    expect(await names(send('Turla again'))).toEqual(['Turla']);
    expect(await send('still Turla')).toBeNull();
    expect(await names(send('Turla and Sofacy'))).toEqual(['Sofacy']);
    expect(await names(send('Turla', { channel: 'C2' }))).toEqual(['Turla']);
    expect(await names(send('Turla', { platform: 'discord' }))).toEqual(['Turla']);
    advance(29);
    expect(await send('Turla')).toBeNull();
    advance(1);
    expect(await names(send('Turla'))).toEqual(['Turla']);
  });

  it('lets an actor held by the cooldown make room for the next one', async () => {
    const { send } = setup({ maxActors: 1 });
    expect(await names(send('Turla'))).toEqual(['Turla']);
    expect(await names(send('Turla and Sofacy'))).toEqual(['Sofacy']);
  });

  it('has no cooldown at 0 minutes', async () => {
    const { send } = setup({ cooldownMinutes: 0 });
    expect(await names(send('Turla'))).toEqual(['Turla']);
    expect(await names(send('Turla'))).toEqual(['Turla']);
  });

  it('does not post again for an edited message, except for actors it newly names', async () => {
    const { send } = setup({ cooldownMinutes: 0 });
    expect(await names(send('Turla here', { messageId: 'm1' }))).toEqual(['Turla']);
    expect(await send('Turla here!', { messageId: 'm1', edited: true })).toBeNull();
    expect(await names(send('Turla and Sofacy', { messageId: 'm1', edited: true }))).toEqual([
      'Sofacy',
    ]);
    expect(await send('Turla and Sofacy.', { messageId: 'm1', edited: true })).toBeNull();
    expect(await names(send('Turla here', { messageId: 'm2' }))).toEqual(['Turla']);
  });

  it('never reacts to bots, including itself', async () => {
    const { send } = setup();
    expect(await send('Turla', { fromBot: true })).toBeNull();
    expect(await names(send('Turla'))).toEqual(['Turla']);
  });

  it('can be switched off globally and per channel (by id or name, any case, with #)', async () => {
    expect(await setup({ enabled: false }).send('Turla')).toBeNull();
    const { send } = setup({ disabledChannels: ['C9', '#Random'] });
    expect(await send('Turla', { channel: 'c9' })).toBeNull();
    expect(await send('Turla', { channel: 'random' })).toBeNull();
    expect(await names(send('Turla', { channel: 'C1' }))).toEqual(['Turla']);
  });

  it('uses the allow and deny lists', async () => {
    expect(await names(setup({ allow: ['Panda'] }).send('a panda did it'))).toEqual(['Panda Crew']);
    expect(await setup({ deny: ['Turla'] }).send('Turla')).toBeNull();
  });

  it('only answers channel messages', async () => {
    const { enricher, index } = setup();
    expect(
      await enricher.enrich({ kind: 'command', text: 'Turla', platform: 'slack' }, index),
    ).toBeNull();
  });

  it('builds one scanner per catalog, and a new one for a new catalog', async () => {
    const { enricher, index } = setup();
    const first = enricher.detectorFor(index);
    expect(enricher.detectorFor(index)).toBe(first);
    const next = new SearchIndex(fixtureCatalog([TURLA]));
    expect(enricher.detectorFor(next)).not.toBe(first);
    expect(enricher.actorsIn('Turla and Sofacy', next)).toEqual([TURLA]);
    expect(enricher.actorsIn('Turla and Sofacy', index)).toEqual([TURLA, SOFACY]);
  });

  it('builds the scanner soon after start and after each reload when given the library', async () => {
    const library = new Library(fixtureCatalog());
    const enricher = new AliasEnricher(CONFIG, { library });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await tick();
    const first = enricher.detectorFor(library.current);
    const next = new SearchIndex(fixtureCatalog([TURLA]));
    library.swap(next);
    await tick();
    expect(enricher.detectorFor(next)).not.toBe(first);
    expect(
      await enricher.enrich({ kind: 'message', text: 'Sofacy', platform: 'x' }, next),
    ).toBeNull();
  });
});

describe('Bot with the enricher', () => {
  const library = new Library(fixtureCatalog(ALL));
  const enricher = new AliasEnricher({ ...CONFIG, cooldownMinutes: 0 });
  const bot = new Bot(library, { enricher, scanner: enricher });

  it('enriches channel messages and ignores bot messages', async () => {
    expect(
      await names(bot.answer({ kind: 'message', text: 'seen TEMP.Zhenbao', platform: 'console' })),
    ).toEqual(['NetTraveler']);
    expect(
      await bot.answer({ kind: 'message', text: 'Turla', platform: 'x', fromBot: true }),
    ).toBeNull();
  });

  it('resolves a mention through the detector when it names exactly one actor', async () => {
    for (const text of [
      'who is TEMP.Zhenbao?',
      'can you check whether APT 21 is behind this',
      'is this Hammer Panda or apt-21?',
    ]) {
      const reply = bot.handle({ kind: 'mention', text, platform: 'console' });
      expect(reply?.kind, text).toBe('card');
      if (reply?.kind === 'card') expect(reply.card.uuid).toBe(NETTRAVELER.card.uuid);
    }
  });

  it('answers a mention naming several actors with a line for each, in the order named', () => {
    const reply = bot.handle({ kind: 'mention', text: 'compare Turla and Sofacy', platform: 'c' });
    expect(reply?.kind).toBe('enrichment');
    if (reply?.kind === 'enrichment')
      expect(reply.actors.map((a) => a.uuid)).toEqual([TURLA.card.uuid, SOFACY.card.uuid]);
    // The person named them: each line opens the card, none offers "Not this actor".
    const next = reply ? nextActions(reply) : [];
    expect(next.filter((a) => a.kind === 'open')).toHaveLength(2);
    expect(next.filter((a) => a.kind === 'mute')).toHaveLength(0);
    // Filters still make it a query (one that nothing passes), not a line per actor.
    expect(
      bot.handle({ kind: 'mention', text: 'country:nowhere Turla Sofacy', platform: 'c' })?.kind,
    ).toBe('none');
  });

  it('says which names a mention writes that it did not look up; enrichment never does', async () => {
    const text = 'we saw Turla and panda in the logs';
    const reply = bot.handle({ kind: 'mention', text, platform: 'console' });
    expect(reply).toMatchObject({
      kind: 'card',
      card: { uuid: TURLA.card.uuid },
      declined: [{ written: 'panda', names: ['Panda Crew'] }],
    });
    const line =
      'Not looked up: "panda" (Panda Crew), in lower case and also an English word; ask /apt panda for its card.';
    expect(renderText(reply!, '/apt')).toContain(`\n\n${line}`);
    const slack = renderSlack(reply!, { cmd: '/apt' });
    expect(slack.blocks.at(-1)).toEqual(context(line));
    expect(slack.text).toContain(line);
    expect(renderDiscord(reply!, { cmd: '/apt' }).content).toBe(line);
    // Several actors: a line each, then the same line.
    const several = bot.handle({
      kind: 'mention',
      text: 'compare Turla and Sofacy, or rattlesnake',
      platform: 'c',
    });
    expect(several).toMatchObject({
      kind: 'enrichment',
      declined: [{ written: 'rattlesnake', names: ['SideWinder'] }],
    });
    // A name of the actor shown is not said again; nor is anything when there is nothing.
    expect(bot.handle({ kind: 'mention', text: 'panda?', platform: 'c' })).not.toHaveProperty(
      'declined',
    );
    expect(
      bot.handle({ kind: 'mention', text: 'who is Turla?', platform: 'c' }),
    ).not.toHaveProperty('declined');
    // In a channel, the enrichment reply stays as it was.
    const channel = await bot.answer({ kind: 'message', text, platform: 'slack', channel: 'C9' });
    expect(channel?.kind).toBe('enrichment');
    expect(channel).not.toHaveProperty('declined');
  });

  it('the console says it too, for a sentence that gets a line per actor', async () => {
    const fresh = new AliasEnricher({ ...CONFIG, cooldownMinutes: 0 });
    const session = new ConsoleSession(new Bot(library, { enricher: fresh, scanner: fresh }));
    const said = (await session.answer('Turla and Sofacy again, maybe rattlesnake')) ?? '';
    expect(said).toMatch(/^Turla: .*\nSofacy: /m);
    expect(said).toContain(
      '\n\nNot looked up: "rattlesnake" (SideWinder), in lower case and also an English word; ask /apt rattlesnake for its card.',
    );
  });

  it('falls back to the query for none, a shared alias or filters', async () => {
    expect(bot.handle({ kind: 'mention', text: 'who is lead?', platform: 'c' })?.kind).toBe('card');
    expect(bot.handle({ kind: 'mention', text: 'help', platform: 'c' })?.kind).toBe('help');
    expect(bot.handle({ kind: 'mention', text: 'who is Iron Tiger', platform: 'c' })).toMatchObject(
      {
        kind: 'ambiguous',
        reason: 'shared-alias',
      },
    );
    expect(
      bot.handle({ kind: 'mention', text: 'country:nowhere Turla', platform: 'c' })?.kind,
    ).toBe('list');
  });

  it('resolves mentions with the default scanner when there is no enricher', async () => {
    const plain = new Bot(library, { scanner: defaultScanner });
    const reply = plain.handle({
      kind: 'mention',
      text: 'any news on temp.zhenbao today?',
      platform: 'c',
    });
    expect(reply?.kind === 'card' && reply.card.name).toBe('NetTraveler');
    expect(await plain.answer({ kind: 'message', text: 'Turla', platform: 'c' })).toBeNull();
  });

  it('reads a mention as a query when the bot has no scanner (the core does not reach for one)', () => {
    const reply = new Bot(library).handle({
      kind: 'mention',
      text: 'any news on temp.zhenbao today?',
      platform: 'c',
    });
    expect(reply?.kind).not.toBe('card');
  });
});
