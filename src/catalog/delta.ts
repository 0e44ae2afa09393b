/**
 * An incremental reload's message: how the catalog a reload built differs from the one the
 * main thread serves (the baseline), small enough that taking it in stays a few milliseconds.
 *
 * The main thread describes its catalog in the request (`baselineOf`: every card as a key,
 * every actor as positions of its cards, in two flat values that cross threads as a copy of
 * bytes). The worker loads the folder, groups it again, and answers with a CatalogDelta: each
 * card and actor of the new catalog is either a position in the baseline (the same card, the
 * same actor) or new, sent whole. An actor with the same cards in the same order and the same
 * folded entries is the same actor: its profile and exact-table keys are made from nothing
 * else (catalogActor, exactKeysOf). Applying a delta is apply-delta.ts.
 */
import type { LoadedCard } from '../cards/model.js';
import { type Catalog, type DerivedCatalog, derivedCatalog } from './catalog.js';
import type { CatalogIssue } from './issues.js';
import type { ActorOverrides } from './overrides.js';

/** The serving catalog as a reload request describes it. */
export interface Baseline {
  /** cardKey of each card of `catalog.cards`, joined with NUL (one string crosses as bytes). */
  keys: string;
  /** Per actor: its card count, its folded count, then their positions in `catalog.cards`. */
  actors: Int32Array;
  /** JSON of the overrides: a changed overrides file is a full reload. */
  overrides: string;
}

export interface CatalogDelta {
  /** Per card of the new catalog (display order): its baseline position, or -(1 + i): newCards[i]. */
  cards: Int32Array;
  newCards: LoadedCard[];
  /** Per actor of the new catalog: its baseline position, or -(1 + i): changed[i]. */
  actors: Int32Array;
  /** The actors that are new or changed, as positions in the new catalog's cards. */
  changed: DerivedCatalog['actors'];
  /** Positions in the new catalog's cards. */
  hidden: number[];
  issues: CatalogIssue[];
  settled: [string, number][];
  /** Each card's title key for cross-links (DerivedCatalog.titles), in the new catalog's order. */
  titles?: string[];
  overrides: ActorOverrides;
  /** The new catalog's own baseline, for the next reload (the main thread need not make it). */
  next: Baseline;
}

/**
 * More actors changed than this and the reload is a full one: the main thread adds each changed
 * actor to both MiniSearch indexes in the one step that swaps the catalog (an ETDA card with a
 * long history costs up to about a millisecond there), and an import or a sync is cheaper
 * whole than as thousands of single changes.
 */
export const MAX_DELTA_ACTORS = 24;

const SEP = '\u0001';

/** Everything of a loaded card that the catalog is made of: its file, bytes and origin. */
export function cardKey(entry: LoadedCard): string {
  const { file, hash, origin, attackIds } = entry.source;
  return `${file}${SEP}${hash}${SEP}${origin ?? ''}${SEP}${(attackIds ?? []).join(',')}`;
}

const baselines = new WeakMap<Catalog, Baseline>();

/** The baseline of a catalog made from a delta: the worker sent it along. */
export function rememberBaseline(catalog: Catalog, baseline: Baseline): void {
  baselines.set(catalog, baseline);
}

/** The request's description of `catalog` (made once per catalog). */
export function baselineOf(catalog: Catalog): Baseline {
  const known = baselines.get(catalog);
  if (known) return known;
  const baseline = madeBaseline(catalog, catalog.cards.map(cardKey));
  baselines.set(catalog, baseline);
  return baseline;
}

/**
 * baselineOf made a thousand cards at a time, each step its own task, for a catalog that no
 * worker described (the one a start loaded): 10,000 cards in one go hold the main thread
 * 10-20 ms, which the first reload would otherwise pay.
 */
export async function baselineInSteps(catalog: Catalog): Promise<void> {
  const keys: string[] = [];
  for (let i = 0; i < catalog.cards.length; i += 1000) {
    for (const entry of catalog.cards.slice(i, i + 1000)) keys.push(cardKey(entry));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!baselines.has(catalog)) baselines.set(catalog, madeBaseline(catalog, keys));
}

function madeBaseline(catalog: Catalog, keys: readonly string[]): Baseline {
  const position = new Map<LoadedCard, number>();
  catalog.cards.forEach((entry, i) => {
    position.set(entry, i);
  });
  const pos = (entry: LoadedCard) => position.get(entry) ?? -1;
  const actors = encodeActors(
    catalog.actors.map((a) => ({ cards: a.cards.map(pos), folded: a.folded.map(pos) })),
  );
  return { keys: keys.join('\u0000'), actors, overrides: JSON.stringify(catalog.overrides) };
}

/** Actors as Baseline.actors has them: card count, folded count, then the positions. */
function encodeActors(actors: readonly { cards: number[]; folded: number[] }[]): Int32Array {
  let length = 0;
  for (const a of actors) length += 2 + a.cards.length + a.folded.length;
  const out = new Int32Array(length);
  let at = 0;
  for (const a of actors) {
    out[at++] = a.cards.length;
    out[at++] = a.folded.length;
    for (const p of a.cards) out[at++] = p;
    for (const p of a.folded) out[at++] = p;
  }
  return out;
}

/** The baseline of a catalog built off the main thread, from its derivation (no lookups). */
export function derivedBaseline(catalog: Catalog): Baseline | undefined {
  const derived = derivedCatalog(catalog);
  if (!derived) return undefined;
  return {
    keys: catalog.cards.map(cardKey).join('\u0000'),
    actors: encodeActors(derived.actors),
    overrides: JSON.stringify(catalog.overrides),
  };
}

/** An actor's identity: the keys of its cards in order, then of its folded entries. */
function signature(cards: readonly string[], folded: readonly string[]): string {
  return `${cards.join('\u0000')}\u0002${folded.join('\u0000')}`;
}

/** The baseline's actors by signature, as positions. */
function baselineActors(baseline: Baseline, keys: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const { actors } = baseline;
  const key = (i: number) => keys[actors[i] ?? -1] ?? '';
  let at = 0;
  for (let n = 0; at < actors.length; n++) {
    const cards = actors[at++] ?? 0;
    const folded = actors[at++] ?? 0;
    const cardKeys: string[] = [];
    const foldedKeys: string[] = [];
    for (let k = 0; k < cards; k++) cardKeys.push(key(at++));
    for (let k = 0; k < folded; k++) foldedKeys.push(key(at++));
    out.set(signature(cardKeys, foldedKeys), n);
  }
  return out;
}

/**
 * How `catalog` (built by the worker, with its derivation) differs from the baseline; undefined
 * when the reload should be a full one (other overrides, too many actors changed).
 */
export function catalogDelta(baseline: Baseline, catalog: Catalog): CatalogDelta | undefined {
  const derived = derivedCatalog(catalog);
  if (!derived || JSON.stringify(catalog.overrides) !== baseline.overrides) return undefined;
  const oldKeys = baseline.keys === '' ? [] : baseline.keys.split('\u0000');
  const oldPosition = new Map(oldKeys.map((k, i) => [k, i] as const));
  const newKeys = catalog.cards.map(cardKey);
  const newCards: LoadedCard[] = [];
  const cards = new Int32Array(newKeys.length);
  newKeys.forEach((key, i) => {
    const old = oldPosition.get(key);
    if (old !== undefined) cards[i] = old;
    else cards[i] = -(1 + newCards.push(catalog.cards[i] as LoadedCard) - 1);
  });
  const known = baselineActors(baseline, oldKeys);
  const changed: CatalogDelta['changed'] = [];
  const actors = new Int32Array(derived.actors.length);
  const kept = new Set<number>();
  derived.actors.forEach((a, i) => {
    const sig = signature(
      a.cards.map((p) => newKeys[p] ?? ''),
      a.folded.map((p) => newKeys[p] ?? ''),
    );
    const old = known.get(sig);
    if (old !== undefined && !kept.has(old)) {
      kept.add(old);
      actors[i] = old;
    } else actors[i] = -(1 + changed.push(a) - 1);
  });
  const removed = known.size - kept.size;
  if (changed.length + removed > MAX_DELTA_ACTORS) return undefined;
  const next = encodeActors(derived.actors);
  return {
    cards,
    newCards,
    actors,
    changed,
    hidden: derived.hidden,
    issues: [...catalog.issues],
    settled: derived.settled,
    ...(derived.titles ? { titles: derived.titles } : {}),
    overrides: catalog.overrides,
    next: { keys: newKeys.join('\u0000'), actors: next, overrides: baseline.overrides },
  };
}
