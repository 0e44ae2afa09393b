import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../adapters/console/index.js';
import { Bot } from '../../src/bot.js';
import { Library } from '../../src/catalog/library.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';
import { SearchIndex } from '../../src/search/index.js';
import { COPPER, cardsFolder } from '../helpers/cards.js';

const { dir, cleanup } = cardsFolder({}, [{ ...COPPER, targets: [...COPPER.targets, 'NATO'] }]);
const out = mkdtempSync(join(tmpdir(), 'aptcard-console-pictures-'));
afterAll(() => {
  cleanup();
  rmSync(out, { recursive: true, force: true });
});
const readme = join(out, 'a-file');
writeFileSync(readme, 'not a folder');
function enotdir(path: string): string {
  try {
    mkdirSync(path, { recursive: true });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected mkdir to fail');
}
const bot = new Bot(new Library(new SearchIndex(loadCatalog(dir, { cacheDir: false }))));

describe('console "pictures"', () => {
  it('asks for a card first', async () => {
    expect(await new ConsoleSession(bot, out).answer('pictures')).toMatch(/Show a card first/);
  });

  it('speaks of the last card: a miss leaves it, a list puts none on screen', async () => {
    const session = new ConsoleSession(bot, out);
    expect(await session.answer('/apt copper lantern')).toContain('Copper Lantern');
    expect(await session.answer('/apt no such actor anywhere')).toMatch(/No card/);
    expect(await session.answer('pictures')).toContain('Targets map of Copper Lantern');
    expect(await session.answer('/apt country:china')).toMatch(/actors? match/);
    expect(await session.answer('pictures')).toMatch(/Show a card first/);
    expect(await session.answer('sources')).toMatch(/Show a card first/);
  });

  it("writes the last card's map and timeline and says where", async () => {
    const session = new ConsoleSession(bot, out);
    expect(await session.answer('/apt copper lantern')).toContain('Copper Lantern');
    const answer = (await session.answer('pictures')) ?? '';
    const map = join(out, `${COPPER.uuid}-map.png`);
    const timeline = join(out, `${COPPER.uuid}-timeline.png`);
    expect(answer).toContain(`Targets map of Copper Lantern: ${map}`);
    expect(answer).toContain(`Timeline of Copper Lantern: ${timeline}`);
    expect(answer).toContain('Not on the map: NATO');
    for (const file of [map, timeline]) {
      expect(readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    }
  });

  it('writes to a private folder of its own by default, the same one for the whole session', async () => {
    const session = new ConsoleSession(bot);
    await session.answer('/apt copper lantern');
    const first = (await session.answer('pictures')) ?? '';
    const file = /Targets map of Copper Lantern: (\S+)/.exec(first)?.[1] ?? '';
    const folder = dirname(file);
    try {
      expect(dirname(folder)).toBe(tmpdir());
      expect(basename(folder)).toMatch(/^aptcard-pictures-.+/);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      expect(readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(await session.answer('pictures')).toContain(`Targets map of Copper Lantern: ${file}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('says so when the folder cannot be written', async () => {
    // A folder inside a regular file cannot exist (ENOTDIR).
    const blocked = join(readme, 'pictures');
    const session = new ConsoleSession(bot, blocked);
    await session.answer('/apt copper lantern');
    expect(await session.answer('map')).toBe(
      `Could not write the pictures to ${blocked}: ${enotdir(blocked)}`,
    );
  });
});
