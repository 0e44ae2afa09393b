/**
 * The catalog the Slack tests answer from: the seed card plus the fixture cards in
 * test/fixtures/slack (an injection card, two cards sharing an alias, an oversized card).
 */
import { resolve } from 'node:path';
import type { BotRequest, Enricher } from '../../src/bot.js';
import { allNames } from '../../src/cards/model.js';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { compactActor } from '../../src/reply/build.js';
import type { Reply } from '../../src/reply/model.js';
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

/**
 * A small stand-in for src/detect: exact, case-sensitive names on word boundaries, at most
 * `maxActors`, each actor once per channel (a cooldown that never expires).
 */
export class TestEnricher implements Enricher {
  readonly calls: BotRequest[] = [];
  private readonly posted = new Set<string>();

  constructor(private readonly maxActors = 3) {}

  enrich(request: BotRequest, index: SearchIndex): Reply | null {
    this.calls.push(request);
    if (request.fromBot || request.edited) return null;
    const actors = [];
    for (const entry of index.catalog.cards) {
      const matched = allNames(entry.card).filter((name) => {
        const re = new RegExp(
          `(?<![\\p{L}\\p{N}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
          'u',
        );
        return name.length >= 4 && re.test(request.text);
      });
      if (matched.length === 0) continue;
      const key = `${request.channel}:${entry.card.uuid}`;
      if (this.posted.has(key)) continue;
      this.posted.add(key);
      actors.push(compactActor(entry.card, entry, matched));
      if (actors.length >= this.maxActors) break;
    }
    return actors.length ? { kind: 'enrichment', actors } : null;
  }
}
