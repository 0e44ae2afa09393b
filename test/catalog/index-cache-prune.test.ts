import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/catalog.js';
import { indexCacheFiles } from '../../src/catalog/index-cache.js';
import { COPPER } from '../helpers/cards.js';

const dir = mkdtempSync(join(tmpdir(), 'aptcard-prune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the index cache folder', () => {
  it('keeps the newest few files of each kind and none older than a week', () => {
    const now = Date.now() / 1000;
    const file = (name: string, ageSeconds: number) => {
      writeFileSync(join(dir, name), '{}');
      utimesSync(join(dir, name), now - ageSeconds, now - ageSeconds);
    };
    // Ten generations of each kind, an hour apart; a scanner file (pruned by its own rule)
    // and another cache of ours (the parsed cards) are not this rule's.
    for (let i = 0; i < 10; i++) {
      for (const kind of ['names.json', 'text.json', 'actors.json'])
        file(`index-old${i}-${kind}`, 3600 * (i + 1));
    }
    file('index-scan1-scanner.bin', 60);
    file('index-scan2-scanner.bin', 8 * 24 * 3600);
    file('cards-folder.json', 8 * 24 * 3600);
    const catalog = buildCatalog([{ card: COPPER, source: { file: 'copper.md', hash: 'h' } }]);
    indexCacheFiles(dir, catalog).saveNames('{}');
    const left = readdirSync(dir).sort();
    const of = (kind: string) => left.filter((n) => n.endsWith(kind) && n.includes('-old'));
    // Four of each kind: the one just written and the newest three others; four others of the
    // kinds not written.
    expect(left.filter((n) => n.endsWith('-names.json') && !n.includes('-old'))).toHaveLength(1);
    expect(of('-names.json')).toEqual([
      'index-old0-names.json',
      'index-old1-names.json',
      'index-old2-names.json',
    ]);
    expect(of('-text.json')).toHaveLength(4);
    expect(of('-actors.json')).toHaveLength(4);
    expect(left).toContain('index-scan1-scanner.bin');
    expect(left).not.toContain('index-scan2-scanner.bin');
    expect(left).toContain('cards-folder.json');
  });
});
