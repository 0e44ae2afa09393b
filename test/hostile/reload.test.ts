/**
 * Hot reload when the cards folder itself is replaced (renamed over, or deleted and made
 * again), and when it is a Kubernetes ConfigMap whose cards are links through `..data`: the
 * watcher follows the path, so every later change is still picked up, and it says so.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderCard } from '../../src/cards/render.js';
import { Library } from '../../src/catalog/library.js';
import { openIndex } from '../../src/catalog/open.js';
import { type CardWatcher, watchCards } from '../../src/catalog/watch.js';
import { makeCard } from '../helpers/cards.js';

const uuidOf = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-00000000aaaa`;
const cardText = (n: number) =>
  renderCard(
    makeCard({
      uuid: uuidOf(n),
      names: [`Actor ${n}`],
      aliases: [{ name: `Actor ${n}`, vendor: '' }],
      description: ['A test group.'],
    }),
  );

let root: string;
let watcher: CardWatcher | undefined;
afterEach(async () => {
  await watcher?.stop();
  rmSync(root, { recursive: true, force: true });
});

function watch(dir: string) {
  const library = new Library(openIndex(dir, false));
  const infos: string[] = [];
  watcher = watchCards(dir, library, {
    cacheDir: false,
    debounceMs: 50,
    folderCheckMs: 100,
    worker: false,
    log: {
      info: (_o, msg) => infos.push(msg),
      warn: (_o, msg) => infos.push(msg),
      error: () => {},
    },
  });
  const found = (name: string) => library.current.lookup(name).length;
  return { found, infos };
}
const waitFor = (fn: () => void) => vi.waitFor(fn, { timeout: 10_000, interval: 25 });

describe('hot reload of a replaced folder', () => {
  it('keeps picking up changes after the folder is renamed over', async () => {
    root = mkdtempSync(join(tmpdir(), 'aptcard-reload-'));
    const dir = join(root, 'cards');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a1.md'), cardText(1));
    const w = watch(dir);
    expect(w.found('Actor 1')).toBe(1);

    const next = join(root, 'cards.new');
    mkdirSync(next);
    writeFileSync(join(next, 'a2.md'), cardText(2));
    renameSync(dir, join(root, 'cards.old'));
    renameSync(next, dir);
    await waitFor(() =>
      expect(w.infos).toContain('cards folder was replaced; watching the new one'),
    );
    await waitFor(() => expect(w.found('Actor 2')).toBe(1));
    expect(w.found('Actor 1')).toBe(0);

    // The change that used to be missed for ever: an edit inside the new folder.
    writeFileSync(join(dir, 'a3.md'), cardText(3));
    await waitFor(() => expect(w.found('Actor 3')).toBe(1));
  });

  it('keeps picking up changes after the folder is deleted and made again', async () => {
    root = mkdtempSync(join(tmpdir(), 'aptcard-reload-'));
    const dir = join(root, 'cards');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a1.md'), cardText(1));
    const w = watch(dir);
    rmSync(dir, { recursive: true });
    await waitFor(() =>
      expect(w.infos.some((m) => m.startsWith('cards folder is gone'))).toBe(true),
    );
    expect(w.found('Actor 1')).toBe(1); // the last catalog still serves
    mkdirSync(dir);
    writeFileSync(join(dir, 'a4.md'), cardText(4));
    await waitFor(() => expect(w.found('Actor 4')).toBe(1));
    writeFileSync(join(dir, 'a5.md'), cardText(5));
    await waitFor(() => expect(w.found('Actor 5')).toBe(1));
  });

  it('follows a ConfigMap update (the ..data link swapped to a new folder)', async () => {
    root = mkdtempSync(join(tmpdir(), 'aptcard-reload-'));
    const dir = join(root, 'cards');
    mkdirSync(join(dir, '..v1'), { recursive: true });
    writeFileSync(join(dir, '..v1', 'actor.md'), cardText(6));
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync('..data/actor.md', join(dir, 'actor.md'));
    const w = watch(dir);
    expect(w.found('Actor 6')).toBe(1);
    mkdirSync(join(dir, '..v2'));
    writeFileSync(join(dir, '..v2', 'actor.md'), cardText(7));
    symlinkSync('..v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await waitFor(() => expect(w.found('Actor 7')).toBe(1));
    expect(w.found('Actor 6')).toBe(0);
  });
});
