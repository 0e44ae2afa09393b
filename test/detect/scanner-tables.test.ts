/**
 * The scanner as tables (issue 19): a detector wrapped from saved, transferred or worker-built
 * tables answers exactly as one built from the cards, over a fixture and over the ETDA corpus;
 * the cache file of `aptcard detect` is read when its key fits and never when the cards or the
 * settings changed.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { allNames, type LoadedCard } from '../../src/cards/model.js';
import { renderCard } from '../../src/cards/render.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { Detector } from '../../src/detect/detector.js';
import { explain } from '../../src/detect/explain.js';
import {
  cachedDetector,
  decodeTables,
  encodeTables,
  scannerCacheKey,
} from '../../src/detect/scanner-cache.js';
import { ScannerClient } from '../../src/detect/scanner-client.js';
import { type ScannerTables, transferList } from '../../src/detect/scanner-tables.js';
import { ALL, card, fixtureCatalog } from '../fixtures/detect/cards.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped, REPO_ROOT } from '../helpers/corpus.js';

const WORKER = join(REPO_ROOT, 'dist/src/detect/scanner-worker.js');

/** Everything a detection says, entries by identity. */
function answers(d: Detector, texts: readonly string[]): unknown[] {
  return texts.map((text) => {
    const { mentions, actors } = d.detect(text);
    return {
      mentions: mentions.map((m) => [m.entry, m.uuid, m.name, m.alias, m.start, m.end]),
      actors: actors.map((a) => [a.entry, a.uuid, a.aliases, a.start]),
    };
  });
}

/** What --explain says (each candidate, its risk and verdict). */
function explained(d: Detector, texts: readonly string[]): unknown[] {
  return texts.map((text) => explain(d, text));
}

/** Each name of each card in a sentence, as written, in capitals and in lower case. */
function sentences(cards: readonly LoadedCard[]): string[] {
  const out: string[] = [];
  for (const entry of cards) {
    for (const name of allNames(entry.card)) {
      out.push(`Analysts linked it to ${name} last week.`);
      out.push(`${name.toUpperCase()} again, and ${name.toLowerCase()} too`);
    }
    out.push(entry.card.description.join(' '));
  }
  return out;
}

/** The tables as another thread receives them: cloned, buffers transferred. */
function transferred(tables: ScannerTables): ScannerTables {
  // A copy first: transferring detaches the buffers, and the fresh detector still reads them.
  const copy = structuredClone(tables);
  const moved = structuredClone(copy, { transfer: transferList(copy) });
  expect(copy.automaton.delta.length).toBe(0); // detached: really transferred
  return moved;
}

async function workerTables(catalog: Catalog, policy = {}): Promise<ScannerTables> {
  const client = new ScannerClient(() => new Worker(WORKER), policy);
  try {
    return await client.build(catalog);
  } finally {
    await client.end();
  }
}

function expectSameAnswers(catalog: Catalog, texts: string[], policy = {}) {
  const fresh = new Detector(catalog.profiles, policy);
  const { actors } = catalog;
  const entryAt = (i: number) => actors[i]!.profile.entry;
  const key = 'test-key';
  const saved = decodeTables(encodeTables(key, fresh.tables), key);
  expect(saved).toBeDefined();
  const fromFile = new Detector({ tables: saved as ScannerTables, entryAt });
  const moved = new Detector({ tables: transferred(fresh.tables), entryAt });
  const reference = answers(fresh, texts);
  expect(reference.some((a) => (a as { mentions: unknown[] }).mentions.length > 0)).toBe(true);
  expect(answers(fromFile, texts)).toEqual(reference);
  expect(answers(moved, texts)).toEqual(reference);
  const some = texts.filter((_, i) => i % 7 === 0);
  expect(explained(fromFile, some)).toEqual(explained(fresh, some));
  expect([...fromFile.prefixes]).toEqual([...fresh.prefixes]);
  for (const t of texts.slice(0, 50)) expect(fromFile.riskFor(t)).toBe(fresh.riskFor(t));
  return { fresh, entryAt, reference };
}

describe('the scanner as tables, over the fixture cards', () => {
  const catalog = fixtureCatalog();
  const texts = [
    ...sentences(catalog.profiles),
    'infra overlaps with TEMP.Zhenbao; Lead analyst says APT-28, `Sofacy` in code, <@U1>',
  ];

  it('answers exactly as a detector built from the cards: saved, transferred, any policy', () => {
    expectSameAnswers(catalog, texts);
    expectSameAnswers(catalog, texts, { allow: ['Lead'], deny: ['APT 28', 'Turla'] });
  });

  it('answers the same from tables built in the scanner worker', async () => {
    const { reference, entryAt } = expectSameAnswers(catalog, texts);
    const fromWorker = new Detector({ tables: await workerTables(catalog), entryAt });
    expect(answers(fromWorker, texts)).toEqual(reference);
  });

  it('rejects a file of another key, or cut short', () => {
    const data = encodeTables('k1', new Detector(ALL).tables);
    expect(decodeTables(data, 'k1')).toBeDefined();
    expect(decodeTables(data, 'k2')).toBeUndefined();
    expect(decodeTables(data.subarray(0, data.length - 8), 'k1')).toBeUndefined();
    expect(decodeTables(data.subarray(0, 100), 'k1')).toBeUndefined();
  });
});

noteSkipped('scanner tables over the corpus', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('the scanner as tables, over the ETDA corpus', () => {
  const catalog = hasEtdaCards ? loadCatalog(ETDA_CARDS_DIR, { cacheDir: false }) : undefined;

  it('answers exactly as a detector built from the cards, from a file and from the worker', async () => {
    const texts = sentences(catalog?.profiles ?? []);
    const { reference, entryAt } = expectSameAnswers(catalog as Catalog, texts);
    const fromWorker = new Detector({ tables: await workerTables(catalog as Catalog), entryAt });
    expect(answers(fromWorker, texts)).toEqual(reference);
  }, 60_000);
});

describe('the scanner cache of aptcard detect', () => {
  const root = mkdtempSync(join(tmpdir(), 'aptcard-scanner-cache-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const cards = join(root, 'cards');
  const cache = join(root, 'cache');
  const write = (entry: LoadedCard, file: string) => {
    writeFileSync(join(cards, file), renderCard(entry.card));
  };
  const scannerFiles = () => readdirSync(cache).filter((f) => f.endsWith('-scanner.bin'));
  const names = (d: Detector, text: string) => d.detect(text).mentions.map((m) => m.name);

  it('is read when its key fits, and not when the cards or the settings changed', () => {
    mkdirSync(cards, { recursive: true });
    for (const [i, entry] of ALL.entries()) write(entry, `card-${i}.md`);
    const open = () => loadCatalog(cards, { cacheDir: cache });
    const policy = { allow: [], deny: [] };
    const text = 'infra overlaps with TEMP.Zhenbao and APT 28, and Mystery Kitten';

    const first = cachedDetector(open(), policy, {}, cache);
    expect(names(first, text)).toEqual(['NetTraveler', 'Sofacy']);
    expect(scannerFiles()).toHaveLength(1);

    // The file is what a warm run answers from: swap in tables denying APT 28 under the same
    // key, and the next run follows them (then put the real ones back).
    const catalog = open();
    const key = scannerCacheKey(catalog, policy) as string;
    const path = join(cache, `index-${key}-scanner.bin`);
    const real = readFileSync(path);
    const denying = new Detector(catalog.profiles, { deny: ['APT 28'] });
    writeFileSync(path, encodeTables(key, denying.tables));
    expect(names(cachedDetector(open(), policy, {}, cache), text)).toEqual(['NetTraveler']);
    writeFileSync(path, real);
    expect(names(cachedDetector(open(), policy, {}, cache), text)).toEqual([
      'NetTraveler',
      'Sofacy',
    ]);

    // Other settings: another key, built afresh (and saved beside).
    const denied = cachedDetector(open(), { allow: [], deny: ['TEMP.Zhenbao'] }, {}, cache);
    expect(names(denied, text)).toEqual(['Sofacy']);
    expect(scannerFiles()).toHaveLength(2);

    // A new card: another key, so the new name is found.
    write(card(['Mystery Kitten'], []), 'card-new.md');
    const changed = cachedDetector(open(), policy, {}, cache);
    expect(names(changed, text)).toEqual(['NetTraveler', 'Sofacy', 'Mystery Kitten']);
    expect(scannerFiles()).toHaveLength(3);
    // Only the newest few are kept.
    const newest = cachedDetector(open(), { allow: ['Lead'], deny: [] }, {}, cache);
    expect(scannerFiles()).toHaveLength(3);
    const newestKey = scannerCacheKey(open(), { allow: ['Lead'], deny: [] });
    expect(scannerFiles()).toContain(`index-${newestKey}-scanner.bin`);
    expect(names(newest, 'Lead analyst: APT 28')).toEqual(['Lead Actor', 'Sofacy']);
  });
});
