/** Every surface speaks of actors: one actor held by three sources answers once everywhere. */
import { describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../adapters/console/index.js';
import { Bot } from '../../src/bot.js';
import type { ActorCard, LoadedCard } from '../../src/cards/model.js';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { Library } from '../../src/catalog/library.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import { renderText } from '../../src/reply/text.js';
import { SearchIndex } from '../../src/search/index.js';
import { makeCard } from '../helpers/cards.js';
import { enrichmentConfig } from '../helpers/enrichment.js';

const uuid = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
const loaded = (card: ActorCard, origin?: string): LoadedCard => ({
  card,
  source: { file: `cards/${card.uuid}.md`, hash: card.uuid, ...(origin ? { origin } : {}) },
});
const alias = (name: string, vendor = '') => ({ name, vendor });

const cards = [
  loaded(
    makeCard({
      uuid: uuid(1),
      names: ['Amber Kestrel', 'APT 777'],
      aliases: [alias('Amber Kestrel', 'ESET'), alias('APT 777', 'Mandiant'), alias('Dusk Heron')],
      countries: ['Iran'],
      sponsor: 'State-sponsored',
      description: ['Amber Kestrel is a long-running espionage group, as ETDA describes it.'],
    }),
    'etda',
  ),
  loaded(
    makeCard({
      uuid: uuid(2),
      names: ['APT777'],
      aliases: [alias('APT777'), alias('Amber Kestrel')],
      countries: ['Iran'],
      sponsor: 'State-sponsored, IRGC',
    }),
    'misp-galaxy:threat-actor',
  ),
  loaded(
    makeCard({
      uuid: uuid(3),
      names: ['Amber Kestrel'],
      aliases: [alias('Amber Kestrel'), alias('G9777', 'MITRE ATT&CK')],
    }),
    'misp-galaxy:mitre-intrusion-set',
  ),
  // Two different actors that one source gives a shared name.
  loaded(
    makeCard({
      uuid: uuid(4),
      names: ['Slate Owl'],
      aliases: [alias('Slate Owl'), alias('Grey Dune')],
      countries: ['Iran'],
    }),
    'etda',
  ),
  loaded(
    makeCard({
      uuid: uuid(5),
      names: ['Cinder Moth'],
      aliases: [alias('Cinder Moth'), alias('Grey Dune')],
    }),
    'etda',
  ),
];
const catalog = buildCatalog(cards);
const library = new Library(new SearchIndex(catalog));
const ENRICHMENT = enrichmentConfig({ maxActors: 2 });
const enricher = new AliasEnricher(ENRICHMENT);
const bot = new Bot(library, { enricher });

describe('surfaces over a merged actor', () => {
  it('a full card names its sources with links and the fields they disagree on', () => {
    const reply = bot.query('apt-777');
    if (reply.kind !== 'card') throw new Error(`expected a card, got ${reply.kind}`);
    // The first screen names the sources; the full card links to each source's page.
    expect(renderText(reply)).toMatch(/^Sources: ETDA, MISP galaxy, MITRE ATT&CK$/m);
    const text = renderText({ ...reply, part: 'full' });
    expect(text).toMatch(/^Sources: ETDA, MISP galaxy, MITRE ATT&CK$/m);
    // ATT&CK names no country or sponsor: not a disagreement. The other two differ on the sponsor.
    expect(text).toMatch(/^Country: Iran$/m);
    expect(text).toMatch(
      /^Sponsor: State-sponsored \(ETDA\); State-sponsored, IRGC \(MISP galaxy\)$/m,
    );
    expect(text).toMatch(
      /Source pages:\n {2}- ETDA https:\/\/apt\.etda\.or\.th\/cgi-bin\/showcard\.cgi\?g=Amber%20Kestrel%2C%20APT%20777&n=1/,
    );
    expect(text).toMatch(/- MITRE ATT&CK https:\/\/attack\.mitre\.org\/groups\/G9777\//);
    // The aliases appear once each, vendors kept.
    expect(text).toMatch(
      /^Aliases: Amber Kestrel \(ESET\), APT 777 \(Mandiant\), Dusk Heron, G9777 \(MITRE ATT&CK\)$/m,
    );
  });

  it('filters that no actor passes say so, not that a name has no card', () => {
    const reply = bot.query('country:atlantis');
    expect(reply.kind).toBe('none');
    expect(renderText(reply)).toMatch(/^No actor matches "country:atlantis"/);
    expect(renderText(bot.query('Atlantis Panda'))).toMatch(/^No card for "Atlantis Panda"/);
  });

  it('lists count actors, not cards', () => {
    const reply = bot.query('country:iran');
    expect(reply.kind).toBe('list');
    if (reply.kind !== 'list') return;
    expect(reply.total).toBe(2);
    expect(reply.items.map((i) => i.name).sort()).toEqual(['Amber Kestrel', 'Slate Owl']);
  });

  it('ambiguous only between different actors, each with its sources', () => {
    const reply = bot.query('Grey Dune');
    expect(reply.kind).toBe('ambiguous');
    if (reply.kind !== 'ambiguous') return;
    expect(reply.candidates.map((c) => [c.name, c.sources])).toEqual([
      ['Cinder Moth', ['ETDA']],
      ['Slate Owl', ['ETDA']],
    ]);
    expect(renderText(reply)).toMatch(/used for 2 different actors/);
  });

  it('enrichment posts one line per actor, and the limit counts actors', async () => {
    const reply = await bot.answer({
      kind: 'message',
      text: 'seeing APT777 and Amber Kestrel and G9777 again, and Slate Owl too',
      platform: 'slack',
      channel: 'C1',
      user: 'U1',
    });
    expect(reply?.kind).toBe('enrichment');
    if (reply?.kind !== 'enrichment') return;
    expect(reply.actors.map((a) => a.name)).toEqual(['Amber Kestrel', 'Slate Owl']);
  });

  it('autocomplete offers one choice per actor, and its value opens that actor', () => {
    const choices = bot.complete('amb');
    expect(choices).toHaveLength(1);
    const grey = bot.complete('grey');
    expect(grey).toHaveLength(2);
    for (const choice of grey) {
      const reply = bot.query(choice.value);
      expect(reply.kind, choice.value).toBe('card');
    }
  });

  it('the console opens a candidate by its number', async () => {
    const session = new ConsoleSession(bot);
    expect(await session.answer('/apt Grey Dune')).toMatch(/type 1 or 2 to open one/);
    expect(await session.answer('2')).toMatch(/^Slate Owl\n/);
    expect(await session.answer('/apt Grey Dune')).toBeDefined();
    expect(await session.answer('7')).toMatch(/^Type 1 or 2 to open one of the actors above\.$/);
  });

  it('the console answers a line that is a name with its card every time, a sentence with a short line', async () => {
    const session = new ConsoleSession(bot);
    for (let i = 0; i < 3; i++)
      expect(await session.answer('Amber Kestrel')).toMatch(/^Amber Kestrel, APT 777\n=+/);
    // The enrichment line (a channel message), not the card.
    const said = await new ConsoleSession(bot).answer('we saw Slate Owl on the VPN again');
    expect(said).toMatch(/Slate Owl/);
    expect(said).not.toMatch(/^Slate Owl\n=+/);
  });

  it('the console answers a question with the card every time, not a short line first', async () => {
    const fresh = new AliasEnricher(ENRICHMENT);
    const session = new ConsoleSession(new Bot(library, { enricher: fresh, scanner: fresh }));
    for (let i = 0; i < 2; i++) {
      expect(await session.answer('who is Slate Owl?'), `time ${i + 1}`).toMatch(/^Slate Owl\n=+/);
    }
  });

  it('the console answers a sentence naming actors still in their cooldown with their lines again, not a search of the sentence', async () => {
    // A bot of its own: the other tests' cooldowns do not hold these actors back.
    const fresh = new AliasEnricher(ENRICHMENT);
    const own = new Bot(library, { enricher: fresh, scanner: fresh }); // as aptcard start has it
    const session = new ConsoleSession(own);
    const line = 'Amber Kestrel and Slate Owl were on the VPN again';
    for (let i = 0; i < 2; i++) {
      const said = (await session.answer(line)) ?? '';
      expect(said, `time ${i + 1}`).toMatch(/^Amber Kestrel: .*\nSlate Owl: /m);
      expect(said).not.toMatch(/No card/);
    }
    // One of them just shown (in its cooldown), the other not: still a line for each.
    const again = new ConsoleSession(new Bot(library, { enricher: fresh, scanner: fresh }));
    const half = 'Amber Kestrel and Cinder Moth were on the VPN again';
    expect((await again.answer(half)) ?? '').toMatch(/^Amber Kestrel: .*\nCinder Moth: /m);
    // A name two actors share, alone, stays the question it is: which one is meant.
    expect(
      await own.answer({ kind: 'mention', text: 'who is Grey Dune?', platform: 'c' }),
    ).toMatchObject({
      kind: 'ambiguous',
    });
    // Among other names, both its actors get a line, as enrichment has them.
    const mixed = await own.answer({
      kind: 'mention',
      text: 'Grey Dune or Amber Kestrel?',
      platform: 'c',
    });
    expect(mixed?.kind === 'enrichment' && mixed.actors.map((a) => a.name)).toEqual([
      'Cinder Moth',
      'Slate Owl',
      'Amber Kestrel',
    ]);
  });
});
