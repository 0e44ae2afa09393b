/**
 * Over the real ETDA corpus in ../shared/corpus/etda-cards (447 cards), when it exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allNames, displayName } from '../../src/cards/model.js';
import { parseCard } from '../../src/cards/parse.js';
import { renderCard } from '../../src/cards/render.js';
import { findCrossLinks, linkableTexts } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { SearchIndex } from '../../src/search/index.js';
import { compactKey } from '../../src/search/normalize.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

noteSkipped('ETDA corpus tests', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('ETDA corpus', () => {
  const files = hasEtdaCards ? readdirSync(ETDA_CARDS_DIR).filter((f) => f.endsWith('.md')) : [];
  const catalog = hasEtdaCards ? loadCatalog(ETDA_CARDS_DIR, { cacheDir: false }) : undefined;
  const index = catalog ? new SearchIndex(catalog) : undefined;

  it('has 447 cards, all of which parse with no error', () => {
    expect(files).toHaveLength(447);
    expect(catalog?.cards).toHaveLength(447);
    expect(catalog?.issues.filter((i) => i.level === 'error')).toEqual([]);
  });

  it('renders every card back to its exact bytes (447 of 447)', () => {
    const different = files.filter((f) => {
      const bytes = readFileSync(join(ETDA_CARDS_DIR, f));
      return renderCard(parseCard(bytes, f)).toString() !== bytes.toString('utf8');
    });
    expect(different).toEqual([]);
  });

  it('reproduces all but the typo card from typed fields alone (no verbatim layout)', () => {
    const withLayout = catalog?.cards.filter((e) => e.card.layout).map((e) => e.source.file);
    // unc2891.md has "...17c9 1" in its UUID: read with a warning, its header kept verbatim.
    expect(withLayout?.map((f) => f.split('/').pop())).toEqual(['unc2891.md']);
  });

  it('resolves all 328 cross-links', () => {
    let links = 0;
    for (const entry of catalog?.cards ?? []) {
      for (const text of linkableTexts(entry.card)) {
        for (const link of findCrossLinks(text)) {
          links++;
          expect(catalog?.resolveLink(link.target), link.raw).toBeDefined();
        }
      }
    }
    expect(links).toBe(328);
  });

  it('finds the card first for every alias that belongs to one card', () => {
    const owners = new Map<string, Set<string>>();
    for (const entry of catalog?.cards ?? []) {
      for (const name of allNames(entry.card)) {
        const key = compactKey(name);
        owners.set(key, (owners.get(key) ?? new Set()).add(entry.card.uuid));
      }
    }
    const misses: string[] = [];
    let checked = 0;
    for (const entry of catalog?.cards ?? []) {
      for (const alias of entry.card.aliases) {
        if (owners.get(compactKey(alias.name))?.size !== 1) continue;
        checked++;
        const answer = index?.search(alias.name);
        if (answer?.outcome !== 'profile' || answer.results[0]?.uuid !== entry.card.uuid) {
          misses.push(`${alias.name} -> ${answer?.outcome} ${answer?.results[0]?.name}`);
        }
      }
    }
    expect(misses).toEqual([]);
    expect(checked).toBeGreaterThan(1290);
  });

  it('answers "ambiguous" with every card for each shared alias', () => {
    const owners = new Map<string, Set<string>>();
    for (const entry of catalog?.cards ?? []) {
      for (const alias of entry.card.aliases) {
        const key = compactKey(alias.name);
        owners.set(key, (owners.get(key) ?? new Set()).add(entry.card.uuid));
      }
    }
    const shared = [...owners].filter(([, set]) => set.size > 1);
    expect(shared.length).toBeGreaterThanOrEqual(6);
    for (const [key, set] of shared) {
      const answer = index?.search(key);
      expect(answer?.outcome, key).toBe('ambiguous');
      expect(new Set(answer?.results.map((r) => r.uuid))).toEqual(set);
    }
    for (const name of ['Iridium', 'Monsoon', 'Grizzly Steppe']) {
      const answer = index?.search(name);
      expect(answer?.outcome).toBe('ambiguous');
      expect(answer?.reason).toBe('shared-alias');
      expect(answer?.results.length).toBe(2);
    }
  });

  it('finds the seed actor under every spelling', () => {
    for (const q of [
      'APT21',
      'apt-21',
      'APT 21',
      'ＡＰＴ２１',
      'a\u200bpt\u201121',
      'hammer panda',
      'TEMP.Zhenbao',
    ]) {
      const answer = index?.search(q);
      expect(answer?.outcome, q).toBe('profile');
      const first = catalog?.byUuid.get(answer?.results[0]?.uuid ?? '');
      expect(first && displayName(first.card), q).toBe('NetTraveler');
    }
  });
});
