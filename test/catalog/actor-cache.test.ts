/**
 * The actor cache (src/catalog/cache.ts, catalog.ts): a catalog read from it answers exactly as
 * one derived afresh. Over the three public catalogs imported side by side when the corpus is
 * there, else over the importers' small fixtures.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allNames, displayName } from '../../src/cards/model.js';
import {
  buildCatalog,
  type Catalog,
  derivedCatalog,
  exactKeysOf,
  overKeptCards,
} from '../../src/catalog/catalog.js';
import { buildIndex } from '../../src/catalog/catalog-index.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { OVERRIDES_FILE } from '../../src/catalog/overrides.js';
import { preferredOwner } from '../../src/catalog/owners.js';
import { importEtda } from '../../src/import/etda.js';
import { parseJson } from '../../src/import/json.js';
import { importMisp } from '../../src/import/misp.js';
import { applyPlan, planImport } from '../../src/import/writer.js';
import { SearchIndex } from '../../src/search/index.js';
import { ETDA_JSON, MISP_DIR, REPO_ROOT } from '../helpers/corpus.js';

const CORPUS = [
  ETDA_JSON,
  join(MISP_DIR, 'threat-actor.json'),
  join(MISP_DIR, 'mitre-intrusion-set.json'),
];
const FIXTURES = ['etda-small.json', 'misp-threat-actor.json', 'misp-mitre.json'].map((f) =>
  join(REPO_ROOT, 'test/fixtures/import', f),
);
const onCorpus = CORPUS.every((p) => existsSync(p));
const [etdaFile, threatActorFile, mitreFile] = (onCorpus ? CORPUS : FIXTURES) as [
  string,
  string,
  string,
];
if (!onCorpus) console.warn('[corpus] absent: the actor cache is compared on the import fixtures');

const FILTERS = [
  'country:russia',
  'country:china sector:energy',
  'tool:plugx',
  'country:iran',
  'sector:government',
  'target:ukraine since:2022',
  'motivation:financial',
  'sponsor:state until:2015',
  'technique:T1566',
  'tactic:initial-access',
  'espionage country:china',
];
const TOPICS = ['ransomware', 'banking trojan', 'energy sector', 'ukraine', 'zero-day exploit'];
const PREFIXES = ['', 'ap', 'laz', 'fancy', 'sand', 'copper', 'iri'];

/** A misspelling of a name: one inner character dropped (as the bench makes them). */
const misspell = (n: string) => (n.length > 5 ? n.slice(0, 2) + n.slice(3) : `${n}x`);

/** Everything a user or a command sees of a catalog, as plain data. */
function answersOf(index: SearchIndex) {
  const { catalog } = index;
  const names = [...new Set(catalog.profiles.flatMap((p) => allNames(p.card)))];
  const fuzzy = catalog.profiles.map((p) => misspell(displayName(p.card)));
  const search = (q: string) => index.search(q);
  return {
    cards: catalog.cards.map((c) => c.source.file),
    // As a set: the map's own order is not something anyone reads.
    byUuid: [...catalog.byUuid].map(([u, e]) => `${u} ${e.source.file}`).sort(),
    issues: catalog.issues,
    actors: catalog.actors.map((a) => ({
      id: a.id,
      files: a.cards.map((c) => c.source.file),
      sources: a.sources,
      folded: a.folded.map((c) => c.source.file),
      profile: { ...a.profile, aliasSources: [...a.profile.aliasSources] },
      keys: a.keys,
    })),
    hidden: catalog.hidden.map((c) => c.source.file),
    links: catalog.links.map((l) => ({ ...l, a: l.a.source.file, b: l.b.source.file })),
    exact: names.map(search),
    fuzzy: fuzzy.map(search),
    filters: FILTERS.map(search),
    topics: TOPICS.map(search),
    complete: PREFIXES.map((p) => index.complete(p).map((c) => [c.name, c.card.card.uuid])),
    crossLinks: catalog.cards
      .slice(0, 200)
      .map((c) => catalog.resolveLink(c.card.names.join(', '))?.card.uuid),
    // By one name (resolved only when one actor has it), not the whole title.
    nameLinks: catalog.cards
      .slice(0, 300)
      .map((c) => catalog.resolveLink(c.card.aliases.at(-1)?.name ?? c.card.uuid)?.card.uuid),
  };
}

/** Part by part, so that a failure names the part (issues, exact answers, ...). */
function expectSameAnswers(got: ReturnType<typeof answersOf>, want: ReturnType<typeof answersOf>) {
  for (const part of Object.keys(want) as (keyof typeof want)[]) {
    const [g, w] = [got[part], want[part]] as unknown[][];
    expect(g?.length, part).toBe(w?.length);
    for (const [i, item] of (g ?? []).entries()) expect(item, `${part}[${i}]`).toEqual(w?.[i]);
  }
}

describe('the actor cache', () => {
  const root = mkdtempSync(join(tmpdir(), 'aptcard-actor-cache-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'cards');
  const cache = join(root, 'cache');
  const read = (path: string) => parseJson(readFileSync(path), path);
  applyPlan(planImport(dir, importEtda(read(etdaFile), etdaFile)));
  applyPlan(planImport(dir, importMisp(read(threatActorFile), threatActorFile)));
  applyPlan(planImport(dir, importMisp(read(mitreFile), mitreFile)));
  const actorFiles = () => readdirSync(cache).filter((f) => f.endsWith('-actors.json'));
  let fresh: ReturnType<typeof answersOf>;

  it('answers as a catalog derived afresh: cold, warm from the cache, and as a worker hands it over', () => {
    const uncached = loadCatalog(dir, { cacheDir: false });
    expect(uncached.actors.some((a) => a.cards.length > 1)).toBe(true);
    fresh = answersOf(new SearchIndex(uncached));

    const cold = loadCatalog(dir, { cacheDir: cache });
    expect(actorFiles()).toHaveLength(1);
    expectSameAnswers(answersOf(buildIndex(cold, cache)), fresh);

    const warm = loadCatalog(dir, { cacheDir: cache });
    expectSameAnswers(answersOf(buildIndex(warm, cache).warm()), fresh);

    // The reload worker's hand-over (worker-load.ts): the kept cards and their derivation.
    const handed = buildCatalog(
      [...warm.cards],
      [],
      warm.overrides,
      overKeptCards(derivedCatalog(warm)!),
      warm.issues,
    );
    expectSameAnswers(answersOf(new SearchIndex(handed)), fresh);
  }, 600_000);

  it('settles a shared name as preferredOwner does over the actors that carry it', () => {
    const catalog = loadCatalog(dir, { cacheDir: cache });
    const owners = new Map<string, Catalog['actors'][number][]>();
    for (const actor of catalog.actors) {
      expect(actor.keys).toEqual(exactKeysOf(actor));
      for (const key of new Set(actor.keys)) owners.set(key, [...(owners.get(key) ?? []), actor]);
    }
    let shared = 0;
    for (const [key, list] of owners) {
      if (list.length < 2) continue;
      shared++;
      expect(catalog.settledOwner(key), key).toBe(preferredOwner(key, list));
    }
    if (onCorpus) expect(shared).toBeGreaterThan(10);
  });

  it('is read, not derived again, on a warm start; a damaged file is derived afresh', () => {
    const [file] = actorFiles();
    const path = join(cache, file!);
    const saved = readFileSync(path, 'utf8');
    // The first line is the head; the recipes follow it, read when a profile is merged.
    const end = saved.indexOf('\n');
    const recipes = saved.slice(end + 1);
    expect(recipes.length).toBeGreaterThan(0);
    const write = (head: unknown, rest = recipes) =>
      writeFileSync(path, `${JSON.stringify(head)}\n${rest}`);
    // A mark only the cache file holds shows up in the catalog: the file was read.
    const marked = JSON.parse(saved.slice(0, end));
    marked.derived.issues.push({ level: 'warning', file: 'x', line: 0, message: 'from the cache' });
    write(marked);
    expect(loadCatalog(dir, { cacheDir: cache }).issues.map((i) => i.message)).toContain(
      'from the cache',
    );
    // Recipes that no longer parse: each profile is merged afresh, the same as a fresh one's.
    write(JSON.parse(saved.slice(0, end)), 'x'.repeat(recipes.length));
    expectSameAnswers(answersOf(new SearchIndex(loadCatalog(dir, { cacheDir: cache }))), fresh);
    // Positions past the cards: not used, and the answers are those of a fresh derivation.
    marked.derived.actors[0].cards = [10_000_000];
    write(marked);
    expectSameAnswers(answersOf(new SearchIndex(loadCatalog(dir, { cacheDir: cache }))), fresh);
    writeFileSync(path, 'not json');
    expect(loadCatalog(dir, { cacheDir: cache }).actors.length).toBe(fresh.actors.length);
  }, 300_000);

  it('a changed card, overrides file or import manifest is another cache entry', () => {
    const before = new Set(actorFiles());
    const fresher = (what: string) => {
      loadCatalog(dir, { cacheDir: cache });
      const added = actorFiles().filter((f) => !before.has(f));
      expect(added, what).toHaveLength(1);
      for (const f of added) before.add(f);
    };
    const merged = loadCatalog(dir, { cacheDir: false }).actors.find((a) => a.cards.length > 1)!;
    const [a, b] = merged.cards;
    writeFileSync(
      join(dir, OVERRIDES_FILE),
      JSON.stringify({ apart: [[a!.card.uuid, b!.card.uuid]] }),
    );
    fresher('overrides');
    const apart = loadCatalog(dir, { cacheDir: cache });
    expect(apart.actorOf(a!.card.uuid)).not.toBe(apart.actorOf(b!.card.uuid));

    const manifest = join(dir, '.aptcard-import.json');
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.replace(/"misp-galaxy:threat-actor:/g, '"misp-galaxy:other:'));
    fresher('manifest');

    const path = resolve(a!.source.file); // relative to the working folder
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n`);
    fresher('card');
  }, 300_000);
});
