/**
 * The catalog the Slack tests answer from: the seed card plus the fixture cards in
 * test/fixtures/slack (an injection card, two cards sharing an alias, an oversized card).
 */
import { resolve } from 'node:path';
import type { Bot } from '../../src/bot.js';
import type { LoadedCard } from '../../src/cards/model.js';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { EnrichmentConfig } from '../../src/config.js';
import type { BotRequest, Enricher, Reply } from '../../src/core/types.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import type { SearchIndex } from '../../src/search/index.js';
import { REPO_ROOT, SEEDS_DIR } from '../helpers/corpus.js';

export const SLACK_FIXTURES_DIR = resolve(REPO_ROOT, 'test/fixtures/slack');

export const UUID = {
  netTraveler: '8650e8c5-55a5-4441-8903-0f2bf5753ef1',
  injection: '0badc0de-0000-4000-8000-000000000001',
  twinA: '0badc0de-0000-4000-8000-0000000000a1',
  twinB: '0badc0de-0000-4000-8000-0000000000b2',
  giant: '0badc0de-0000-4000-8000-00000000b16e',
} as const;

/** Strings that must never reach Slack unescaped. */
export const INJECTIONS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<#C123',
  '<https://evil.example|',
  '<https://evil.example/steal',
  '|https://slack.com/signin>',
  '<!subteam',
  '<script>',
];

export function slackLibrary(): Library {
  const seeds = loadCatalog(SEEDS_DIR, { cacheDir: false });
  const fixtures = loadCatalog(SLACK_FIXTURES_DIR, { cacheDir: false });
  const issues = [...seeds.issues, ...fixtures.issues].filter((i) => i.level === 'error');
  if (issues.length) throw new Error(`fixture cards do not load: ${JSON.stringify(issues)}`);
  return new Library(buildCatalog([...seeds.cards, ...fixtures.cards]));
}

/** The enrichment policy of a default .env. */
export const ENRICHMENT: EnrichmentConfig = {
  enabled: true,
  disabledChannels: ['C0MUTED'],
  maxActors: 3,
  cooldownMinutes: 30,
  allow: [],
  deny: [],
};

/**
 * The real enricher (src/detect), recording what the adapter asked it, so tests can tell a
 * message the adapter dropped from one the enricher declined.
 */
export class CountingEnricher implements Enricher<SearchIndex> {
  readonly calls: BotRequest[] = [];
  private readonly inner: AliasEnricher;

  constructor(config: EnrichmentConfig = ENRICHMENT) {
    this.inner = new AliasEnricher(config);
  }

  enrich(request: BotRequest, index: SearchIndex): Promise<Reply | null> {
    this.calls.push(request);
    return this.inner.enrich(request, index);
  }

  actorsIn(text: string, index: SearchIndex): readonly LoadedCard[] {
    return this.inner.actorsIn(text, index);
  }

  oneSharedNameIn(text: string, index: SearchIndex): boolean {
    return this.inner.oneSharedNameIn(text, index);
  }
}

/** A card reply from `bot`: a query, or (page > 0) the "More operations" action for a UUID. */
export function cardReply(bot: Bot, query: string, page = 0): Extract<Reply, { kind: 'card' }> {
  const reply =
    page > 0
      ? bot.handle({ kind: 'action', text: `ops:${page}:${query}`, platform: 'test' })
      : bot.query(query);
  if (reply?.kind !== 'card') throw new Error(`expected a card for ${query}, got ${reply?.kind}`);
  return reply;
}
