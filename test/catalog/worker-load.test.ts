import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCardCache } from '../../src/catalog/card-cache.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { openServingLibrary } from '../../src/catalog/open.js';
import { type PrimeStats, primeCachesInProcess } from '../../src/catalog/prime.js';
import { loadInWorker } from '../../src/catalog/worker-load.js';
import { Detector } from '../../src/detect/detector.js';
import type { BuildPolicy } from '../../src/detect/scanner-build.js';
import { SearchIndex } from '../../src/search/index.js';
import { cardsFolder } from '../helpers/cards.js';
import { REPO_ROOT } from '../helpers/corpus.js';

/** The compiled worker (test/global-setup.ts builds dist/ before the tests). */
const DIST_WORKER = resolve(REPO_ROOT, 'dist/src/catalog/watch-worker.js');
/** The compiled priming script (a process of its own). */
const DIST_PRIME = resolve(REPO_ROOT, 'dist/src/catalog/prime-process.js');
const hasDistWorker = existsSync(DIST_WORKER) && existsSync(DIST_PRIME);
if (!hasDistWorker)
  console.warn(`[worker-load] SKIPPED: ${DIST_WORKER} or ${DIST_PRIME} not built`);

const { dir, cleanup } = cardsFolder({ 'broken.md': '# nope\n' });
afterAll(cleanup);
const QUERIES = ['apt 99', 'lantrn', 'night owl', 'country:china', 'ransomware', 'zzzzqqqq'];

describe.skipIf(!hasDistWorker)('loading in a worker thread', () => {
  it('gives the same catalog, issues and answers as loading here', async () => {
    const here = new SearchIndex(loadCatalog(dir, { cacheDir: false }));
    const there = await loadInWorker(dir, false, () => new Worker(DIST_WORKER));
    expect(there?.catalog.cards.map((c) => c.card)).toEqual(here.catalog.cards.map((c) => c.card));
    expect(there?.catalog.issues).toEqual(here.catalog.issues);
    for (const q of QUERIES) expect(there?.search(q), q).toEqual(here.search(q));
  });

  it('is how a large uncached folder is served at start-up: caches filled in another process', async () => {
    let primed = 0;
    let stats: PrimeStats | undefined;
    const prime = async (d: string, c: string, files: number) => {
      primed++;
      stats = await primeCachesInProcess(d, c, files, DIST_PRIME);
      return stats;
    };
    const cache = mkdtempSync(join(tmpdir(), 'aptcard-serve-'));
    try {
      const first = await openServingLibrary(dir, cache, { threshold: 2, prime });
      expect(primed).toBe(1);
      expect(stats?.peakRssMB).toBeGreaterThan(10);
      // One process per stage, the scanner's only given the enrichment policy.
      expect(Object.keys(stats?.stages ?? {})).toEqual(['cards', 'names', 'text']);
      expect(hasCardCache(dir, cache)).toBe(true);
      expect(first.current.search('lantrn').outcome).toBe('profile');
      // Now cached: loaded in this process.
      const second = await openServingLibrary(dir, cache, { threshold: 2, prime });
      expect(primed).toBe(1);
      for (const q of QUERIES) expect(second.current.search(q), q).toEqual(first.current.search(q));
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('given the enrichment policy, the priming process saves the scanner the bot then reads', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'aptcard-serve-'));
    const policy = { allow: [], deny: ['Night Owl'] };
    const prime = (d: string, c: string, files: number, scanner?: BuildPolicy) =>
      primeCachesInProcess(d, c, files, DIST_PRIME, scanner);
    try {
      const library = await openServingLibrary(dir, cache, {
        threshold: 2,
        prime,
        scanner: policy,
      });
      const { catalog } = library.current;
      expect(readdirSync(cache).filter((f) => f.endsWith('-scanner.bin'))).toHaveLength(1);
      // The key names the builder's modules: the compiled ones here, as the priming process's.
      const { readCachedTables } = (await import(
        pathToFileURL(resolve(REPO_ROOT, 'dist/src/detect/scanner-cache.js')).href
      )) as typeof import('../../src/detect/scanner-cache.js');
      const tables = await readCachedTables(catalog, policy, cache);
      expect(tables?.actors).toBe(catalog.actors.length);
      const saved = new Detector({
        tables: tables!,
        entryAt: (i) => catalog.actors[i]!.profile.entry,
      });
      const fresh = new Detector(catalog.profiles, policy);
      for (const text of ['APT 99 and Lantern Group', 'night owl, APT99']) {
        expect(saved.detect(text)).toEqual(fresh.detect(text));
      }
      expect(fresh.detect('APT 99 and Lantern Group').actors.length).toBeGreaterThan(0);
      // Another policy is another key: not there.
      expect(await readCachedTables(catalog, { deny: [] }, cache)).toBeUndefined();
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reports a failed priming process, and then the folder is loaded here', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'aptcard-serve-'));
    const script = join(cache, 'fail.mjs');
    writeFileSync(script, "process.stderr.write('no memory left\\n'); process.exit(3);\n");
    try {
      await expect(primeCachesInProcess(dir, cache, 3, script)).rejects.toThrow(
        /card loader process exited \(code 3\): no memory left/,
      );
      const prime = (d: string, c: string, files: number) =>
        primeCachesInProcess(d, c, files, script);
      const library = await openServingLibrary(dir, cache, { threshold: 2, prime });
      expect(library.current.search('apt 99').outcome).toBe('profile');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('primes once more without the memory cap when the capped process fails', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'aptcard-serve-'));
    const script = join(cache, 'capped.mjs');
    // Dies like an out-of-memory process when capped; otherwise reports as the real one does,
    // a peak of its own per stage.
    writeFileSync(
      script,
      `if (process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
  process.stderr.write('FATAL ERROR: Reached heap limit\\n');
  process.exit(134);
}
const peaks = { cards: 40, names: 44, text: 42 };
process.stdout.write(JSON.stringify({ ms: 1, peakRssMB: peaks[process.argv[2]] }) + '\\n');
`,
    );
    try {
      expect(await primeCachesInProcess(dir, cache, 3, script)).toEqual({
        ms: 3,
        peakRssMB: 44,
        stages: { cards: 40, names: 44, text: 42 },
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('runs the stages in order, one process each, and stops at the first that fails', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'aptcard-serve-'));
    const script = join(cache, 'stages.mjs');
    const seen = join(cache, 'seen.txt');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(seen)}, process.argv[2] + ' ' + process.pid + '\\n');
if (process.argv[2] === 'text') { process.stderr.write('text failed\\n'); process.exit(1); }
process.stdout.write(JSON.stringify({ ms: 1, peakRssMB: 1 }) + '\\n');
`,
    );
    try {
      await expect(
        primeCachesInProcess(dir, cache, 3, script, { allow: [], deny: [] }),
      ).rejects.toThrow(/text failed/);
      const lines = readFileSync(seen, 'utf8').trim().split('\n');
      // text ran twice (capped, then without the cap); the scanner stage never ran.
      expect(lines.map((l) => l.split(' ')[0])).toEqual(['cards', 'names', 'text', 'text']);
      expect(new Set(lines.map((l) => l.split(' ')[1])).size).toBe(4);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('reports a worker failure as an error', async () => {
    await expect(
      loadInWorker(dir, false, () => new Worker('process.exit(3)', { eval: true })),
    ).rejects.toThrow(/exited \(code 3\)/);
  });
});

describe('openServingLibrary', () => {
  it('serves a small folder loaded on this thread, answering as usual', async () => {
    const library = await openServingLibrary(dir, false);
    expect(library.current.size).toBe(3);
    expect(library.current.search('apt 99').outcome).toBe('profile');
  });

  it('without the compiled worker, loads here instead', async () => {
    expect(await loadInWorker(dir, false, undefined)).toBeUndefined();
  });
});
