/**
 * A name two actors carry, which the catalog settled on one (most sources call that one so),
 * names that one in a message as it does in a search; a name nothing settled names both.
 */
import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot.js';
import type { ActorCard, LoadedCard } from '../../src/cards/model.js';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { Library } from '../../src/catalog/library.js';
import { Detector } from '../../src/detect/detector.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import { settleSharedNames } from '../../src/detect/settle.js';
import { SearchIndex } from '../../src/search/index.js';
import { makeCard } from '../helpers/cards.js';
import { enrichmentConfig } from '../helpers/enrichment.js';

const uuid = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
const entry = (card: ActorCard, origin?: string): LoadedCard => ({
  card,
  source: { file: `cards/${card.uuid}.md`, hash: card.uuid, ...(origin ? { origin } : {}) },
});
const named = (n: number, names: string[], aliases: string[] = names) =>
  makeCard({ uuid: uuid(n), names, aliases: aliases.map((name) => ({ name, vendor: '' })) });

// Every source that calls one actor "Copper Lantern" also lists the name under Rust Owl: used
// for both. A local card calling the first one so alone settles it (test/catalog/actors.test.ts).
const rustOwl = ['Rust Owl', 'Copper Lantern', 'Grey Kite'];
const cards = [
  entry(named(1, ['Copper Lantern']), 'etda'),
  entry(named(2, ['COPPER LANTERN']), 'misp-galaxy:threat-actor'),
  entry(named(3, ['Rust Owl'], rustOwl), 'etda'),
  entry(named(4, ['Rust Owl'], rustOwl), 'misp-galaxy:threat-actor'),
  entry(named(5, ['Rust Owl'], rustOwl), 'misp-galaxy:mitre-intrusion-set'),
];
const settledIndex = new SearchIndex(buildCatalog([...cards, entry(named(6, ['Copper Lantern']))]));
const openIndex = new SearchIndex(buildCatalog(cards));
const ENRICHMENT = enrichmentConfig({ cooldownMinutes: 0 });

async function lines(index: SearchIndex, text: string): Promise<string[]> {
  const enricher = new AliasEnricher(ENRICHMENT);
  const bot = new Bot(new Library(index), { enricher, scanner: enricher });
  const reply = await bot.answer({ kind: 'message', text, platform: 'c', channel: 'C1' });
  return reply?.kind === 'enrichment' ? reply.actors.map((a) => a.name) : [];
}

describe('shared names in a message', () => {
  it('a settled name names only the actor it is settled on, as the search answers', async () => {
    expect(settledIndex.search('Copper Lantern').outcome).toBe('profile');
    expect(await lines(settledIndex, 'Copper Lantern is back')).toEqual(['Copper Lantern']);
    // Rust Owl's own name still names it.
    expect(await lines(settledIndex, 'Copper Lantern and Rust Owl again')).toEqual([
      'Copper Lantern',
      'Rust Owl',
    ]);
  });

  it('a name nothing settled names every actor that carries it', async () => {
    expect(openIndex.search('Copper Lantern').outcome).toBe('ambiguous');
    expect((await lines(openIndex, 'Copper Lantern is back')).sort()).toEqual([
      'Copper Lantern',
      'Rust Owl',
    ]);
  });

  it('keeps the detection as it is when no name is shared', () => {
    const { catalog } = settledIndex;
    const detection = new Detector(catalog.profiles).detect('Rust Owl and Grey Kite');
    expect(settleSharedNames(detection, catalog)).toBe(detection);
    const shared = new Detector(catalog.profiles).detect('seen Copper Lantern');
    expect(shared.actors).toHaveLength(2);
    const settled = settleSharedNames(shared, catalog);
    expect(settled.actors.map((a) => a.name)).toEqual(['Copper Lantern']);
    expect(settled.mentions.map((m) => [m.start, m.end])).toEqual([[5, 19]]);
  });

  it('a mention of a settled name gets the card that says what else carries it', () => {
    const enricher = new AliasEnricher(ENRICHMENT);
    const bot = new Bot(new Library(settledIndex), { enricher, scanner: enricher });
    const reply = bot.handle({ kind: 'mention', text: 'who is Copper Lantern?', platform: 'c' });
    expect(reply?.kind === 'card' && reply.card.name).toBe('Copper Lantern');
    expect(reply?.kind === 'card' && reply.card.alsoNamed?.map((r) => r.name)).toEqual([
      'Rust Owl',
    ]);
  });
});
