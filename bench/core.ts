/**
 * Core benchmarks (issue 2): start-up cold and warm, query latency, a 10,000-card catalog.
 * Every figure is printed with a baseline measured in this same run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { allNames } from '../src/cards/model.js';
import { buildIndex } from '../src/catalog/catalog-index.js';
import { loadCatalog } from '../src/catalog/load.js';
import type { SearchIndex } from '../src/search/index.js';
import { writeSyntheticCatalog } from './synthetic.js';
import { fmt, passesSummary, percentile, samplePasses, startScriptNodeFlags } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, existsSync(resolve(HERE, '../package.json')) ? '..' : '../..');
const CORPUS = resolve(REPO, '../shared/corpus/etda-cards');

/**
 * Cold: nothing cached; every card parsed, both indexes built (and saved). Warm: the caches
 * hit; the names index and exact table are ready, the prose index loads on first need.
 */
function timeStart(
  dir: string,
  cacheDir: string | false,
  full = false,
): { ms: number; index: SearchIndex } {
  const t = performance.now();
  const index = buildIndex(loadCatalog(dir, { cacheDir }), cacheDir);
  if (full) index.warm();
  index.search('apt 21'); // ready to answer
  return { ms: performance.now() - t, index };
}

function median(xs: number[]): number {
  return percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
}

/** A misspelling: drop one inner character of a name (deterministic). */
function misspell(name: string, i: number): string {
  if (name.length < 6) return `${name}x`;
  const at = 1 + (i % (name.length - 2));
  return name.slice(0, at) + name.slice(at + 1);
}

/** The priming processes' part of a scale row: nothing when this start found the caches filled. */
function primeText(r: {
  primePeakRssMB: number | null;
  primeMs: number | null;
  primeStages: Record<string, number> | null;
}): string {
  if (r.primePeakRssMB === null) return '';
  const stages = Object.entries(r.primeStages ?? {})
    .map(([stage, mb]) => `${stage} ${fmt(mb)}`)
    .join(', ');
  return `; the processes that filled the caches first (one per stage, each ended before the next began, the last before this one loaded) peaked at ${fmt(r.primePeakRssMB)} MB (${stages} MB) over ${fmt((r.primeMs ?? 0) / 1000, 1)} s`;
}

/** What holds the memory of the warm 10,000-card start (bench/memory-child.ts). */
function memoryBreakdown(big: string, flags: string[]): void {
  const child = join(HERE, 'memory-child.js');
  const out = execFileSync(
    process.execPath,
    [...flags, '--expose-gc', child, big, join(big, '.cache')],
    { encoding: 'utf8' },
  );
  type Use = { heapMB: number; offHeapMB: number; rssMB: number };
  const r = JSON.parse(out) as Record<'start' | 'opened' | 'indexes' | 'cards' | 'scanner', Use> & {
    peakRssMB: number;
    scannerCached: boolean;
  };
  const step = (to: Use, from: Use) =>
    `${fmt(to.heapMB - from.heapMB)} MB heap${to.offHeapMB - from.offHeapMB >= 1 ? ` + ${fmt(to.offHeapMB - from.offHeapMB)} MB off-heap` : ''}`;
  console.log(
    `10,000-card warm start, what holds the memory (after a full collection at each stage): node itself ${fmt(r.start.rssMB)} MB RSS; the catalog opened, cards not parsed yet (actors, parsed-card cache entries, exact table) ${step(r.opened, r.start)}; both MiniSearch indexes ${step(r.indexes, r.opened)}; every card parsed and the filter fields (warm()) ${step(r.cards, r.indexes)}; the enrichment scanner (${r.scannerCached ? 'its tables read from the cache folder, as aptcard start reads them' : 'built here: no tables cached'}) ${step(r.scanner, r.cards)}; RSS with all of it ${fmt(r.scanner.rssMB)} MB, peak ${fmt(r.peakRssMB)} MB [target: peak <= 200 MB (issue 19)]`,
  );
}

export async function run(): Promise<void> {
  const dir = existsSync(CORPUS) ? CORPUS : resolve(REPO, 'seeds');
  if (dir !== CORPUS)
    console.log(`corpus ${CORPUS} not found: SKIPPED corpus figures, using seeds/`);
  const cache = mkdtempSync(join(tmpdir(), 'aptcard-bench-'));
  try {
    // Start-up. Cold: nothing cached (every card parsed with remark, index built). Warm: cache hit.
    const colds = [0, 1, 2].map(() => {
      rmSync(cache, { recursive: true, force: true });
      return timeStart(dir, cache, true).ms;
    });
    const warms = [0, 1, 2, 3, 4].map(() => timeStart(dir, cache).ms);
    const { index } = timeStart(dir, cache);
    const cold = median(colds);
    const warm = median(warms);
    console.log(
      `start-up, ${index.size} cards: cold ${fmt(cold)} ms, warm ${fmt(warm)} ms (median); warm is ${fmt(cold / warm)}x faster than cold [targets: warm <= 100 ms, >= 5x]`,
    );
    const firstProse = performance.now();
    index.warm();
    console.log(
      `  + loading the prose index from cache, on the first query that needs it (aptcard start does it right after start-up): ${fmt(performance.now() - firstProse)} ms`,
    );

    // Query latency.
    // Each query timed in five passes, read as the median of its five times (see samplePasses).
    const names = index.catalog.cards.flatMap((e) => allNames(e.card));
    const exact = samplePasses((i) => index.search(names[i % names.length] ?? ''), 20_000);
    console.log(`${passesSummary('exact alias lookup', exact)} [target: p99 <= 20 µs]`);
    const fuzzyQueries = names.map(misspell);
    const fuzzy = samplePasses(
      (i) => index.search(fuzzyQueries[i % fuzzyQueries.length] ?? ''),
      3000,
      5,
      300,
    );
    const filterQueries = [
      'country:china',
      'sector:"oil and gas"',
      'target:ukraine since:2022',
      'tool:plugx',
      'motivation:financial country:russia',
      'sponsor:state until:2015',
    ];
    const filters = samplePasses(
      (i) => index.search(filterQueries[i % filterQueries.length] ?? ''),
      3000,
      5,
      300,
    );
    console.log(`${passesSummary('fuzzy query', fuzzy)} [target: p99 <= 1000 µs]`);
    console.log(`${passesSummary('filter query', filters)} [target: p99 <= 1000 µs]`);

    // Baseline: plain MiniSearch over the same names, fuzzy + prefix, the same misspellings.
    const plain = new MiniSearch<{ id: string; names: string }>({ fields: ['names'] });
    plain.addAll(
      index.catalog.cards.map((e) => ({ id: e.card.uuid, names: allNames(e.card).join(' ') })),
    );
    const base = samplePasses(
      (i) =>
        plain.search(fuzzyQueries[i % fuzzyQueries.length] ?? '', { fuzzy: 0.2, prefix: true }),
      3000,
      5,
      300,
    );
    console.log(passesSummary('baseline: plain MiniSearch fuzzy on names only', base));
    const p99 = (r: { medians: number[] }) => percentile(r.medians, 99);
    console.log(
      `ratios vs baseline p99: exact ${fmt(p99(exact) / p99(base), 3)}, fuzzy ${fmt(p99(fuzzy) / p99(base), 2)}, filter ${fmt(p99(filters) / p99(base), 2)}`,
    );
    const found = names.filter((n) => index.search(n).outcome !== 'none').length;
    console.log(`exact names answered: ${found} of ${names.length}`);

    // Scale: 10,000 generated cards, loaded as `aptcard start` loads them, in a fresh process
    // so that its RSS is its own.
    const big = mkdtempSync(join(tmpdir(), 'aptcard-10k-'));
    try {
      writeSyntheticCatalog(big, 10_000);
      const child = join(HERE, 'scale-child.js');
      const flags = startScriptNodeFlags(join(REPO, 'package.json'));
      console.log(
        `10,000-card catalog, in a fresh process run as npm start runs the bot (node ${flags.join(' ')}):`,
      );
      for (const label of ['cold', 'warm']) {
        const out = execFileSync(process.execPath, [...flags, child, big, join(big, '.cache')], {
          encoding: 'utf8',
        });
        const r = JSON.parse(out) as {
          cards: number;
          ms: number;
          warmMs: number;
          scannerMs: number;
          rssMB: number;
          peakRssMB: number;
          primePeakRssMB: number | null;
          primeMs: number | null;
          primeStages: Record<string, number> | null;
          idleRssMB: number;
          queryMs: number;
          proseMs: number;
        };
        console.log(
          `10,000-card catalog (${label}): ${r.cards} cards ready in ${fmt(r.ms)} ms (${fmt(r.ms / cold)}x the 447-card cold start), prose index ${fmt(r.warmMs)} ms more, enrichment scanner (as aptcard start gets it: tables saved in the cache folder, else built in its worker) ${fmt(r.scannerMs)} ms more; then a name query ${fmt(r.queryMs, 2)} ms, a first prose query ${fmt(r.proseMs)} ms; RSS right after ${fmt(r.rssMB)} MB, peak ${fmt(r.peakRssMB)} MB, after 35 s idle ${fmt(r.idleRssMB)} MB${primeText(r)} [target: peak <= 200 MB (issue 19): ${Math.max(r.peakRssMB, r.primePeakRssMB ?? 0) <= 200 ? 'met' : 'NOT met'}]`,
        );
      }
      // The same warm start in plain node: the peak must not depend on the flag (issue 19).
      const plain = JSON.parse(
        execFileSync(process.execPath, [child, big, join(big, '.cache'), '0'], {
          encoding: 'utf8',
        }),
      ) as { peakRssMB: number };
      console.log(
        `10,000-card catalog (warm, plain node: no ${flags.join(' ') || 'flags'}): peak ${fmt(plain.peakRssMB)} MB [target: peak <= 200 MB without the flag too: ${plain.peakRssMB <= 200 ? 'met' : 'NOT met'}]`,
      );
      memoryBreakdown(big, flags);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
