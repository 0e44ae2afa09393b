/**
 * The enricher's scanner built in the scanner worker (issue 19): after a swap the last scanner
 * keeps answering, with its own catalog's cards, until the new catalog's is ready; then the new
 * one answers exactly as a scanner built here from that catalog.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadedCard } from '../../src/cards/model.js';
import { Library } from '../../src/catalog/library.js';
import type { EnrichmentConfig } from '../../src/config.js';
import { Detector } from '../../src/detect/detector.js';
import { AliasEnricher } from '../../src/detect/enricher.js';
import { SearchIndex } from '../../src/search/index.js';
import { ALL, card, fixtureCatalog } from '../fixtures/detect/cards.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { enrichmentConfig } from '../helpers/enrichment.js';

const WORKER = join(REPO_ROOT, 'dist/src/detect/scanner-worker.js');
const CONFIG: EnrichmentConfig = enrichmentConfig({ deny: ['Turla'] });

function setup() {
  const library = new Library(new SearchIndex(fixtureCatalog()));
  const ready = new Map<SearchIndex, Detector>();
  const waiters = new Map<SearchIndex, () => void>();
  const enricher = new AliasEnricher(CONFIG, {
    library,
    scannerWorker: () => new Worker(WORKER),
    onScannerReady: (index, detector) => {
      ready.set(index, detector);
      waiters.get(index)?.();
    },
  });
  const readyFor = (index: SearchIndex) =>
    ready.has(index)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.set(index, resolve));
  return { library, enricher, ready, readyFor };
}

const TEXT = 'Mystery Kitten and TEMP.Zhenbao again, Turla too';
const nameOf = (e: LoadedCard) => e.card.names[0];

describe('the enrichment scanner built in the scanner worker', () => {
  it('starts on a turn of its own after a swap, not inside the swap', async () => {
    let workers = 0;
    const library = new Library(new SearchIndex(fixtureCatalog()));
    const enricher = new AliasEnricher(CONFIG, {
      library,
      scannerWorker: () => {
        workers++;
        return new Worker(WORKER);
      },
    });
    try {
      expect(workers).toBe(0); // not even the start-up catalog's, synchronously
      await new Promise((resolve) => setImmediate(resolve));
      expect(workers).toBe(1);
    } finally {
      await enricher.stop();
    }
  });

  it('keeps the last scanner until the new one is ready, then answers as a fresh build', async () => {
    const { library, enricher, ready, readyFor } = setup();
    try {
      const first = library.current;
      await readyFor(first);
      const kitten = card(['Mystery Kitten'], ['Kitten Cluster']);
      const next = new SearchIndex(fixtureCatalog([...ALL, kitten]));
      library.swap(next);
      // Not ready yet (the worker is building): the last scanner answers, with its own cards.
      expect(ready.has(next)).toBe(false);
      const before = enricher.actorsIn(TEXT, next);
      expect(before.map(nameOf)).toEqual(['NetTraveler']);
      expect(before[0]).toBe(first.catalog.profileOf(before[0]!.card.uuid));
      await readyFor(next);
      const after = enricher.actorsIn(TEXT, next);
      expect(after.map(nameOf)).toEqual(['Mystery Kitten', 'NetTraveler']);
      for (const entry of after) expect(entry).toBe(next.catalog.profileOf(entry.card.uuid));
      const fresh = new Detector(next.catalog.profiles, { deny: CONFIG.deny });
      const texts = [TEXT, 'Kitten Cluster, APT 28 and Lead analyst', 'Sofacy; `APT28`'];
      for (const text of texts) {
        expect(ready.get(next)?.detect(text)).toEqual(fresh.detect(text));
      }
    } finally {
      await enricher.stop();
    }
  }, 30_000);

  it('after several swaps in a row, ends with the newest catalog scanner', async () => {
    const { library, enricher, ready, readyFor } = setup();
    try {
      await readyFor(library.current);
      const swapped: SearchIndex[] = [];
      for (let i = 0; i < 4; i++) {
        swapped.push(new SearchIndex(fixtureCatalog([...ALL, card([`Swap Group ${i}`], [])])));
        library.swap(swapped[i]!);
      }
      const last = swapped[3]!;
      await readyFor(last);
      const found = enricher.actorsIn('Swap Group 1, Swap Group 3', last).map(nameOf);
      expect(found).toEqual(['Swap Group 3']);
      // The swaps in between were skipped (the first one's build was under way): their
      // catalogs are answered by the newest scanner, not built on the message's path.
      expect(ready.has(swapped[1]!) || ready.has(swapped[2]!)).toBe(false);
      expect(enricher.actorsIn('Swap Group 2, Swap Group 3', swapped[2]!).map(nameOf)).toEqual([
        'Swap Group 3',
      ]);
      expect(ready.has(swapped[2]!)).toBe(false);
    } finally {
      await enricher.stop();
    }
  }, 30_000);

  it('a warm start wraps the tables the last run saved, without a worker; a damaged file is rebuilt', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'aptcard-scanner-cache-'));
    /** One enricher over a fresh catalog of the same cards: its scanner, and workers started. */
    const start = async () => {
      const library = new Library(new SearchIndex(fixtureCatalog()));
      let workers = 0;
      let resolveReady: (d: Detector) => void = () => {};
      const ready = new Promise<Detector>((resolve) => {
        resolveReady = resolve;
      });
      const enricher = new AliasEnricher(CONFIG, {
        library,
        cacheDir,
        scannerWorker: () => {
          workers++;
          return new Worker(WORKER);
        },
        onScannerReady: (_index, detector) => resolveReady(detector),
      });
      const detector = await ready;
      await enricher.saved();
      const catalog = library.current.catalog;
      const startUp = workers;
      // A reload's catalog is built in the worker and not saved (its key would hold the
      // main thread too long at 10,000 cards): the start-up catalog's file stays the one.
      const next = new SearchIndex(fixtureCatalog([...ALL, card(['Swap Group'], [])]));
      const swapped = new Promise<Detector>((resolve) => {
        resolveReady = resolve;
      });
      library.swap(next);
      expect(enricher.actorsIn('Swap Group', next)).toHaveLength(0); // the last scanner's answer
      await swapped;
      await enricher.saved();
      expect(enricher.actorsIn('Swap Group', next)).toHaveLength(1);
      expect(workers).toBe(1);
      await enricher.stop();
      return { detector, workers: startUp, catalog };
    };
    const files = () => readdirSync(cacheDir).filter((f) => f.endsWith('-scanner.bin'));
    try {
      const first = await start();
      expect(first.workers).toBe(1);
      expect(files()).toHaveLength(1);
      const fresh = new Detector(first.catalog.profiles, { deny: CONFIG.deny });
      const texts = [TEXT, 'Kitten Cluster, APT 28 and Lead analyst', 'Sofacy; `APT28`'];
      const warm = await start();
      expect(warm.workers).toBe(0);
      for (const text of texts) expect(warm.detector.detect(text)).toEqual(fresh.detect(text));
      // Cut short: refused, built again in the worker and saved whole.
      writeFileSync(join(cacheDir, files()[0]!), 'APTSCAN1 and then nothing');
      const damaged = await start();
      expect(damaged.workers).toBe(1);
      for (const text of texts) expect(damaged.detector.detect(text)).toEqual(fresh.detect(text));
      expect((await start()).workers).toBe(0);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the first scanner of aptcard start, from the scanner cache', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'aptcard-scanner-start-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  const scannerFiles = () => readdirSync(cacheDir).filter((f) => f.endsWith('-scanner.bin'));
  const texts = [TEXT, 'Kitten Cluster, APT 28 and Lead analyst', 'Sofacy; `APT28`'];

  /** An enricher as start makes it, counting the workers it starts; resolves once it is ready. */
  async function started(index: SearchIndex, config: EnrichmentConfig, dir: string | false) {
    let workers = 0;
    let detector: Detector | undefined;
    let onReady = () => {};
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const enricher = new AliasEnricher(config, {
      library: new Library(index),
      cacheDir: dir,
      scannerWorker: () => {
        workers++;
        return new Worker(WORKER);
      },
      onScannerReady: (_index, d) => {
        detector = d;
        onReady();
      },
    });
    await ready;
    await enricher.saved(); // the tables a worker built are written off the main thread
    await enricher.stop();
    return { workers, detector: detector as Detector };
  }

  it('builds in the worker and saves there when nothing is cached; wraps the saved tables at the next start', async () => {
    const index = () => new SearchIndex(fixtureCatalog());
    const fresh = new Detector(index().catalog.profiles, { deny: CONFIG.deny });
    const first = await started(index(), CONFIG, cacheDir);
    expect(first.workers).toBe(1);
    expect(scannerFiles()).toHaveLength(1);
    const next = await started(index(), CONFIG, cacheDir);
    expect(next.workers).toBe(0); // read from the cache: no worker started
    for (const text of texts) {
      expect(first.detector.detect(text)).toEqual(fresh.detect(text));
      expect(next.detector.detect(text)).toEqual(fresh.detect(text));
    }
    expect(next.detector.detect(TEXT).actors.length).toBeGreaterThan(0);
  }, 30_000);

  it('keys the cache as aptcard detect does: other cards or other settings build in the worker', async () => {
    const kitten = card(['Mystery Kitten'], ['Kitten Cluster']);
    const other = await started(
      new SearchIndex(fixtureCatalog([...ALL, kitten])),
      CONFIG,
      cacheDir,
    );
    expect(other.workers).toBe(1);
    expect(other.detector.detect(TEXT).actors.map((a) => nameOf(a.entry))).toEqual([
      'Mystery Kitten',
      'NetTraveler',
    ]);
    const denied = { ...CONFIG, deny: ['Turla', 'NetTraveler'] };
    const settings = await started(new SearchIndex(fixtureCatalog()), denied, cacheDir);
    expect(settings.workers).toBe(1);
    const fresh = new Detector(fixtureCatalog().profiles, { deny: denied.deny });
    for (const text of texts) expect(settings.detector.detect(text)).toEqual(fresh.detect(text));
    // With the cache off, nothing is read or written.
    const files = scannerFiles().length;
    const off = await started(new SearchIndex(fixtureCatalog()), CONFIG, false);
    expect(off.workers).toBe(1);
    expect(scannerFiles()).toHaveLength(files);
  }, 30_000);
});
