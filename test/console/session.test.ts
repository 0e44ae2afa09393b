import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../adapters/console/index.js';
import { Bot } from '../../src/bot.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { SearchIndex } from '../../src/search/index.js';
import { BUSY, cardsFolder, makeCard } from '../helpers/cards.js';

// Twelve Ember actors (a list of two pages of ten) and one with twelve operations (three pages).
const embers = Array.from({ length: 12 }, (_, i) =>
  makeCard({
    uuid: `e0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    names: [`Ember ${String.fromCharCode(65 + i)}`],
    aliases: [{ name: `Ember ${String.fromCharCode(65 + i)}`, vendor: 'Us' }],
    countries: ['Atlantis'],
  }),
);
const busy = BUSY;
const { dir, cleanup } = cardsFolder({}, [...embers, busy]);
afterAll(cleanup);
const bot = new Bot(new Library(new SearchIndex(loadCatalog(dir, { cacheDir: false }))));

describe('console session', () => {
  it('pages through a list with "more", then says there is nothing more', async () => {
    const session = new ConsoleSession(bot);
    const first = (await session.answer('/apt country:atlantis')) ?? '';
    expect(first).toMatch(/^12 actors match "country:atlantis", page 1 of 2:/);
    expect(first).toMatch(/\(type "more" for page 2 of 2\)$/);
    const second = (await session.answer('more')) ?? '';
    expect(second).toMatch(/^12 actors match "country:atlantis", page 2 of 2:\n {2}11\. /);
    expect(second).not.toContain('type "more"');
    expect(await session.answer('more')).toBe(
      'Nothing more to show: "more" pages through the last list or card.',
    );
  });

  it("pages through a card's operations, and forgets the paging after another question", async () => {
    const session = new ConsoleSession(bot);
    expect(await session.answer('/apt busy bee')).toMatch(/\(type "more" for page 2 of 3\)$/);
    expect(await session.answer('next')).toMatch(/Operations, newest first: 12 \(page 2 of 3\)/);
    expect(await session.answer('/apt ember a')).not.toContain('type "more"');
    expect(await session.answer('more')).toMatch(/^Nothing more to show/);
  });
});
