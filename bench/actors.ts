/**
 * Actors (issue 12): resolving cards into actors for the three public catalogs (ETDA, MISP
 * threat actors, MISP ATT&CK groups) and for the 10,000-card synthetic catalog, and the warm
 * start of the three catalogs against the ETDA-only warm start measured in this same run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupActors } from '../src/catalog/actors.js';
import { buildIndex } from '../src/catalog/catalog-index.js';
import { loadCatalog } from '../src/catalog/load.js';
import { NO_OVERRIDES } from '../src/catalog/overrides.js';
import { mergeProfile } from '../src/catalog/profile.js';
import { importEtda } from '../src/import/etda.js';
import { parseJson } from '../src/import/json.js';
import { importMisp } from '../src/import/misp.js';
import { applyPlan, planImport } from '../src/import/writer.js';
import { writeSyntheticCatalog } from './synthetic.js';
import { fmt, percentile } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, existsSync(resolve(HERE, '../package.json')) ? '..' : '../..');
const CORPUS = resolve(REPO, '../shared/corpus');

function median(xs: number[]): number {
  return percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
}

/** Time one resolution of a folder's loaded cards into actors with their merged profiles. */
function resolveMs(cards: Parameters<typeof groupActors>[0]): number {
  const t = performance.now();
  for (const actor of groupActors(cards, NO_OVERRIDES).actors) mergeProfile(actor);
  return performance.now() - t;
}

function warmStartMs(dir: string, cache: string): number {
  const t = performance.now();
  const index = buildIndex(loadCatalog(dir, { cacheDir: cache }), cache);
  index.search('apt 21');
  return performance.now() - t;
}

/**
 * p99 of each query's time over 5 rounds after a first round, which is reported apart as its
 * slowest call: the first filter query normalizes every card's filter fields (lazily, to keep
 * start-up lean), and a first name query warms the code. Both are real, and different things.
 */
function p99(
  index: ReturnType<typeof buildIndex>,
  queries: string[],
): { steady: number; first: number } {
  const time = (q: string) => {
    const t = performance.now();
    index.search(q);
    return performance.now() - t;
  };
  const first = Math.max(...queries.map(time));
  const times: number[] = [];
  for (let round = 0; round < 5; round++) for (const q of queries) times.push(time(q));
  return {
    steady: percentile(
      times.sort((a, b) => a - b),
      99,
    ),
    first,
  };
}

export async function run(): Promise<void> {
  const files = [
    join(CORPUS, 'etda-json/threat-group-cards.json'),
    join(CORPUS, 'misp-galaxy/threat-actor.json'),
    join(CORPUS, 'misp-galaxy/mitre-intrusion-set.json'),
  ];
  if (!files.every((f) => existsSync(f))) {
    console.log(`corpus ${CORPUS} not found: SKIPPED actor figures`);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'aptcard-bench-actors-'));
  try {
    const read = (p: string) => parseJson(readFileSync(p), p);
    const three = join(root, 'three');
    const etdaOnly = join(root, 'etda');
    applyPlan(planImport(etdaOnly, importEtda(read(files[0]!), files[0]!)));
    applyPlan(planImport(three, importEtda(read(files[0]!), files[0]!)));
    applyPlan(planImport(three, importMisp(read(files[1]!), files[1]!)));
    applyPlan(planImport(three, importMisp(read(files[2]!), files[2]!)));
    const cache = join(root, 'cache');
    const catalog = loadCatalog(three, { cacheDir: cache });
    // Cold: the first resolution in this process (the English word list is read then).
    const cold = resolveMs(catalog.cards);
    const warm = median([0, 1, 2, 3, 4].map(() => resolveMs(catalog.cards)));
    console.log(
      `three catalogs: ${catalog.cards.length} cards -> ${catalog.actors.length} actors; resolving actors ${fmt(cold)} ms cold (first in process), ${fmt(warm)} ms warm (median of 5)`,
    );

    const synthetic = join(root, 'synthetic');
    writeSyntheticCatalog(synthetic, 10_000);
    const big = loadCatalog(synthetic, { cacheDir: cache });
    const bigMs = median([0, 1, 2].map(() => resolveMs(big.cards)));
    console.log(
      `10,000-card synthetic catalog (all local: no cross-source evidence to weigh): ${big.actors.length} actors; resolving ${fmt(bigMs)} ms (median of 3)`,
    );

    // Warm start: both caches filled by a first start, then measured.
    warmStartMs(three, cache);
    warmStartMs(etdaOnly, cache);
    const warmThree = median([0, 1, 2, 3, 4].map(() => warmStartMs(three, cache)));
    const warmEtda = median([0, 1, 2, 3, 4].map(() => warmStartMs(etdaOnly, cache)));
    console.log(
      `warm start: three catalogs ${fmt(warmThree)} ms, ETDA only ${fmt(warmEtda)} ms: ${fmt(warmThree / warmEtda)}x [target: <= 1.5x]`,
    );

    const measureQueries = (index: ReturnType<typeof buildIndex>) => {
      const names = index.catalog.profiles.slice(0, 500).map((p) => p.card.names[0] ?? '');
      return {
        exact: p99(index, names),
        fuzzy: p99(
          index,
          names.map((n) => (n.length > 5 ? n.slice(0, 2) + n.slice(3) : `${n}x`)),
        ),
        filters: p99(index, ['country:russia', 'country:china sector:energy', 'tool:plugx']),
      };
    };
    const merged = measureQueries(buildIndex(catalog, cache).warm());
    const etda = measureQueries(
      buildIndex(loadCatalog(etdaOnly, { cacheDir: cache }), cache).warm(),
    );
    const line = (what: 'exact' | 'fuzzy' | 'filters', unit: 'us' | 'ms', target: string) => {
      const k = unit === 'us' ? 1000 : 1;
      const m = merged[what];
      const e = etda[what];
      return `${what} ${fmt(m.steady * k)} ${unit} (ETDA only ${fmt(e.steady * k)}: ${fmt(m.steady / e.steady)}x) [target ${target}], first call ${fmt(m.first * k)} ${unit}`;
    };
    console.log(
      `merged catalog queries p99 after a first round: ${line('exact', 'us', '<= 20 us')}; ${line('fuzzy', 'ms', '<= 1 ms')}; ${line('filters', 'ms', '<= 1 ms')}`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
