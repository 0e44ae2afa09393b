import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../src/cards/render.js';
import { freshEntry, readCardCache, writeCardCache } from '../../src/catalog/card-cache.js';
import { buildIndex } from '../../src/catalog/catalog-index.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { COPPER, cardsFolder, makeCard, VIPER } from '../helpers/cards.js';

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});
function folder(...args: Parameters<typeof cardsFolder>) {
  const f = cardsFolder(...args);
  cleanups.push(f.cleanup);
  return f.dir;
}
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'aptcard-cache-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('loadCatalog', () => {
  it('skips files that are not cards, each reported with file and line, and loads the rest', () => {
    const dir = folder({
      'notes.md': 'Meeting notes\n\nnothing here\n',
      'bad-uuid.md': '# Threat actor: Bad\n\n**UUID**: 1234\n',
      'latin1.md': Buffer.from([0x23, 0x20, 0xe9, 0x0a]),
      'README.md': '# Cards folder\n',
      'nested/deeper.md': renderCard(
        makeCard({ uuid: '66666666-6666-4666-8666-666666666666', names: ['Deep One'] }),
      ),
      'ignored.txt': 'not markdown',
    });
    const catalog = loadCatalog(dir, { cacheDir: false });
    expect(catalog.cards.map((c) => c.card.names[0])).toEqual([
      'Copper Lantern',
      'Deep One',
      'Glass Viper',
      'Tin Sparrow',
    ]);
    const errors = catalog.issues.filter((i) => i.level === 'error');
    expect(errors.map((e) => [e.file.split('/').pop(), e.line])).toEqual([
      ['bad-uuid.md', 3],
      ['latin1.md', 1],
      ['notes.md', 1],
    ]);
    expect(errors[0]?.message).toMatch(/invalid UUID/);
    expect(errors[1]?.message).toMatch(/not valid UTF-8/);
    expect(errors[2]?.message).toMatch(/no title/);
  });

  it('reports a duplicate UUID as an error and keeps the first', () => {
    const twin = { ...VIPER, names: ['Viper Twin'] };
    const dir = folder({ 'z-twin.md': renderCard(twin) });
    const catalog = loadCatalog(dir, { cacheDir: false });
    expect(catalog.cards).toHaveLength(3);
    expect(catalog.byUuid.get(VIPER.uuid)?.card.names).toEqual(['Glass Viper']);
    expect(catalog.issues).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/duplicate UUID 2222/),
      }),
    );
  });

  it('warns about shared aliases, dangling cross-links and empty alias lists', () => {
    const lonely = makeCard({
      uuid: '77777777-7777-4777-8777-777777777777',
      names: ['Lonely'],
      description: ['Talks to {{Nobody Here}}.'],
    });
    const dir = folder({ 'lonely.md': renderCard(lonely) });
    const warnings = loadCatalog(dir, { cacheDir: false }).issues.filter(
      (i) => i.level === 'warning',
    );
    const messages = warnings.map((w) => w.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/alias "Night Owl" is shared by 2 cards/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/cross-link \{\{Nobody Here\}\} names no card/),
    );
    expect(messages).toContainEqual('no aliases listed');
    expect(warnings.every((w) => w.level === 'warning')).toBe(true);
  });

  it('resolves cross-links by title and by a unique name', () => {
    const catalog = loadCatalog(folder(), { cacheDir: false });
    expect(catalog.resolveLink('Copper Lantern, APT 99, Quiet Heron')?.card.uuid).toBe(COPPER.uuid);
    expect(catalog.resolveLink('Glass Viper')?.card.uuid).toBe(VIPER.uuid);
    expect(catalog.resolveLink('Night Owl')).toBeUndefined(); // shared: no silent pick
  });

  it('reports a missing folder instead of throwing', () => {
    const catalog = loadCatalog('/nonexistent/aptcard-cards', { cacheDir: false });
    expect(catalog.cards).toEqual([]);
    expect(catalog.issues[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/cannot read cards folder/),
    });
  });
});

describe('parsed-card cache', () => {
  it('re-parses only changed files, keyed by content hash', () => {
    const dir = folder();
    const cache = tempDir();
    const first = loadCatalog(dir, { cacheDir: cache });
    expect(readdirSync(cache).some((f) => f.startsWith('cards-'))).toBe(true);
    // Plant a marker in the cached parse of Copper: if the cache is used, the marker shows.
    const cached = readCardCache(cache, dir);
    const copperHash = first.byUuid.get(COPPER.uuid)?.source.hash ?? '';
    const copperEntry = cached.parses[copperHash];
    if (!copperEntry) throw new Error('Copper is not in the cache');
    cached.parses[copperHash] = freshEntry(
      { ...copperEntry.card, names: ['From Cache'] },
      copperEntry.warnings,
    );
    writeCardCache(cache, dir, cached);
    // Change Viper's file: it must be parsed afresh.
    writeFileSync(join(dir, 'card-1.md'), renderCard({ ...VIPER, names: ['Glass Viper Edited'] }));

    const second = loadCatalog(dir, { cacheDir: cache });
    expect(second.byUuid.get(COPPER.uuid)?.card.names).toEqual(['From Cache']);
    expect(second.byUuid.get(VIPER.uuid)?.card.names).toEqual(['Glass Viper Edited']);
  });

  it('ignores a corrupt cache file', () => {
    const dir = folder();
    const cache = tempDir();
    loadCatalog(dir, { cacheDir: cache });
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), '{not json');
    expect(loadCatalog(dir, { cacheDir: cache }).cards).toHaveLength(3);
  });

  it('reuses the serialized search index and answers the same', () => {
    const dir = folder();
    const cache = tempDir();
    const cold = buildIndex(loadCatalog(dir, { cacheDir: cache }), cache);
    expect(readdirSync(cache).some((f) => f.startsWith('index-'))).toBe(true);
    const warm = buildIndex(loadCatalog(dir, { cacheDir: cache }), cache);
    for (const q of ['lantrn', 'ransomware', 'country:china', 'night owl']) {
      expect(warm.search(q)).toEqual(cold.search(q));
    }
  });
});
