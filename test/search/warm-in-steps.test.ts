/**
 * SearchIndex.warmInSteps (a full rebuild handed over while another index serves) makes the
 * same index as warm(), in slices: from cached indexes and with
 * nothing cached (built), over the fixtures and, when present, the ETDA corpus.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allNames } from '../../src/cards/model.js';
import { buildForRequest } from '../../src/catalog/build.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { buildIndex } from '../../src/catalog/catalog-index.js';
import { loadCatalog } from '../../src/catalog/load.js';
import type { BuiltReply } from '../../src/catalog/protocol.js';
import { indexFromReply, indexFromReplyInSteps } from '../../src/catalog/worker-load.js';
import type { SearchIndex } from '../../src/search/index.js';
import { cardsFolder } from '../helpers/cards.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const PROSE = ['energy companies espionage', 'telecom operators ministries', 'pipelines'];
const FILTERS = [
  'country:china',
  'sector:energy',
  'tool:plugx',
  'country:russia sector:government',
];

function answers(index: SearchIndex): unknown[] {
  const names = index.catalog.profiles.slice(0, 150).flatMap((p) => allNames(p.card).slice(0, 2));
  const misspelt = names.map((n) => (n.length > 5 ? n.slice(0, 2) + n.slice(3) : `${n}x`));
  return [...names, ...misspelt, ...PROSE, ...FILTERS].map((q) => index.search(q));
}

async function compare(dir: string): Promise<number> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'aptcard-warm-steps-'));
  temps.push(cacheDir);
  const want = answers(buildIndex(loadCatalog(dir, { cacheDir: false }), false).warm());
  let pauses = 0;
  const slices = {
    pause: () => {
      pauses++;
      return new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
  // Nothing cached: both indexes built by the getters, and saved.
  const built = await buildIndex(loadCatalog(dir, { cacheDir }), cacheDir).warmInSteps(slices);
  expect(answers(built)).toEqual(want);
  // Both cached now: loaded with MiniSearch's loadJSONAsync.
  const loaded = await buildIndex(loadCatalog(dir, { cacheDir }), cacheDir).warmInSteps(slices);
  expect(answers(loaded)).toEqual(want);
  // A reload worker's reply taken in here: catalog, exact table and index made in slices
  // (catalog-in-steps.ts, index-in-steps.ts) as indexFromReply makes them at once.
  const reply = structuredClone(buildForRequest({ id: 1, dir, cacheDir })) as BuiltReply;
  expect(reply.derived).toBeDefined();
  const before = pauses;
  const atOnce = indexFromReply(structuredClone(reply));
  const sliced = await indexFromReplyInSteps(reply, slices);
  expect(pauses - before).toBeGreaterThanOrEqual(5);
  expect(answers(sliced)).toEqual(answers(atOnce));
  expect(answers(sliced)).toEqual(want);
  expect(catalogShape(sliced.catalog)).toEqual(catalogShape(atOnce.catalog));
  return pauses;
}

/** What a catalog answers with, as plain data: cards, actors, profiles, issues, owners, links. */
function catalogShape(catalog: Catalog): unknown {
  const file = (e: { source: { file: string } }) => e.source.file;
  return {
    cards: catalog.cards.map(file),
    actors: catalog.actors.map((a) => [a.id, a.cards.map(file), a.folded.map(file), a.keys]),
    profiles: catalog.profiles.map((p) => p.card),
    hidden: catalog.hidden.map(file),
    issues: catalog.issues,
    byUuid: [...catalog.byUuid].map(([u, e]) => [u, file(e)]),
    owners: catalog.actors.flatMap((a) => a.keys.map((k) => catalog.settledOwner(k)?.id)),
    actorOf: catalog.cards.map((e) => catalog.actorOf(e.card.uuid)?.id),
    links: catalog.cards.map((e) => catalog.resolveLink(e.card.names[0] ?? '')?.card.uuid),
  };
}

describe('SearchIndex.warmInSteps', () => {
  it('makes the same index as warm() over the fixtures, pausing between the indexes', async () => {
    const { dir } = cardsFolder();
    temps.push(dir);
    // Nothing cached: after each index and before the fuzzy vocabulary (3); cached: after each
    // index's JSON is parsed too (5).
    expect(await compare(dir)).toBeGreaterThanOrEqual(6);
  });

  noteSkipped('warmInSteps over the ETDA corpus', ETDA_CARDS_DIR);
  it.skipIf(!hasEtdaCards)(
    'makes the same index as warm() over the ETDA corpus',
    async () => {
      expect(await compare(ETDA_CARDS_DIR)).toBeGreaterThanOrEqual(6);
    },
    300_000,
  );
});
