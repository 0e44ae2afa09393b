/**
 * Grouping again after a few cards changed (hot reload's incremental build): only the cards
 * that the changed ones could have any evidence with, directly or through other cards, are
 * grouped again; every other actor is the one the last grouping made, with the same cards.
 *
 * Why that is the same grouping as the whole catalog's (test/catalog/regroup.test.ts compares
 * the two over random edits): groupActors decides within sets of cards connected by evidence
 * (a UUID, an ATT&CK id, a "similar" or "revoked by" UUID, an analyst's override, a name on at
 * most MAX_NAME_CARDS cards), in an order that two such sets never share. The cards connected
 * to a changed card before or after the change are found from one index of those keys, kept
 * here between builds; they are grouped again with the whole catalog's facts that a part
 * cannot see (one source or several, how many cards share a name), and the actors of all other
 * cards are kept. A change to groupActors' evidence must be mirrored in keysOf below.
 */
import { cardUuid, displayName, type LoadedCard } from '../cards/model.js';
import {
  type Actor,
  type ActorSet,
  cardOrder,
  groupActors,
  MAX_NAME_CARDS,
  ofOneSource,
} from './actors.js';
import { type CardFacts, cardFacts } from './card-facts.js';
import { compareNames } from './name-order.js';
import type { ActorOverrides } from './overrides.js';

/** More changed or connected cards than this (or this share of them): the whole is grouped. */
const MOST_CARDS = 2_000;
const MOST_SHARE = 0.25;

/** A card as this memo knows it (a card is one file): what it was read as, its evidence keys. */
interface Known {
  entry: LoadedCard;
  keys: string[];
  /** The build that last saw this file with this content. */
  seen: number;
}

/** The last grouping: its cards by file, its actors, and which files hold each evidence key. */
interface Last {
  oneSource: boolean;
  overrides: string;
  cards: Map<string, Known>;
  holders: Map<string, Set<string>>;
  actors: Actor[];
  hidden: LoadedCard[];
}

/** The grouping and whether it is the whole catalog's own (its `links` are then complete). */
export interface Grouping {
  set: ActorSet;
  /** Grouped whole: `set.links` holds every link. Else only the regrouped cards' links. */
  whole: boolean;
  /** Cards grouped again (all of them when whole). */
  regrouped: number;
}

/** Whether two reads of one file are the same card to the grouping: content and import facts. */
function sameCard(a: LoadedCard, b: LoadedCard): boolean {
  const x = a.source;
  const y = b.source;
  if (x.hash !== y.hash || x.origin !== y.origin) return false;
  const ix = x.attackIds ?? [];
  const iy = y.attackIds ?? [];
  return ix.length === iy.length && ix.every((id, i) => id === iy[i]);
}

/**
 * The keys that connect a card to the cards groupActors may weigh it against. A revoked card
 * is weighed against none: it only joins the actor of the UUID that replaced it.
 */
function keysOf(f: CardFacts, sameGroups: ReadonlyMap<string, number[]>): string[] {
  const keys = [`u:${f.uuid}`];
  for (const u of f.revokedBy) keys.push(`u:${u}`);
  if (!f.revoked) {
    for (const id of f.attackIds) keys.push(`g:${id}`);
    for (const u of f.similar) keys.push(`u:${u}`);
    for (const key of f.keys) keys.push(`n:${key}`);
    for (const g of sameGroups.get(f.uuid) ?? []) keys.push(`o:${g}`);
  }
  return [...new Set(keys)];
}

/** For each UUID the analyst's "same" groups list, the groups that list it. */
function sameGroupsOf(overrides: ActorOverrides): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  overrides.same.forEach((group, g) => {
    for (const u of group) groups.set(u, [...(groups.get(u) ?? []), g]);
  });
  return groups;
}

export class GroupingMemo {
  private last: Last | undefined;

  private build = 0;

  /** The actors of `loaded` (the kept cards), as groupActors would make them. */
  group(loaded: readonly LoadedCard[], overrides: ActorOverrides): Grouping {
    const oneSource = ofOneSource(loaded);
    const overridesKey = JSON.stringify(overrides);
    const last = this.last;
    if (!last || last.oneSource !== oneSource || last.overrides !== overridesKey) {
      return this.whole(loaded, overrides, oneSource, overridesKey);
    }
    // Which files are new or read with other content, and which went; the others now point at
    // this build's copy of their card.
    const build = ++this.build;
    const added: LoadedCard[] = [];
    for (const e of loaded) {
      const known = last.cards.get(e.source.file);
      if (known && sameCard(known.entry, e)) {
        known.entry = e;
        known.seen = build;
      } else added.push(e);
    }
    const removed = [...last.cards].filter(([, k]) => k.seen !== build);
    const most = Math.min(MOST_CARDS, Math.max(64, loaded.length * MOST_SHARE));
    if (added.length + removed.length > most) {
      return this.whole(loaded, overrides, oneSource, overridesKey);
    }

    // The index as it is now, and each changed key's holders before the change.
    const sameGroups = sameGroupsOf(overrides);
    for (const [file, k] of removed) this.drop(last, file, k);
    const addedKnown = added.map((entry) => {
      const keys = keysOf(cardFacts(entry, !oneSource), sameGroups);
      const known = { entry, keys, seen: build };
      this.hold(last, entry.source.file, known);
      return known;
    });
    const changed = [...removed.map(([, k]) => k), ...addedKnown];
    const before = new Map<string, number>();
    for (const k of changed) {
      for (const key of k.keys) before.set(key, last.holders.get(key)?.size ?? 0);
    }
    for (const [, k] of removed)
      for (const key of k.keys) before.set(key, (before.get(key) ?? 0) + 1);
    for (const k of addedKnown)
      for (const key of k.keys) before.set(key, (before.get(key) ?? 0) - 1);

    // Every card connected to a changed one, before or after the change.
    const reached = new Set<string>(added.map((e) => e.source.file));
    const queue = [...new Set(changed.flatMap((k) => k.keys))];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const key = queue.pop() as string;
      const holders = last.holders.get(key);
      if (!holders) continue;
      // A name on too many cards links none of them, before the change and after it.
      const count = holders.size;
      if (
        key.startsWith('n:') &&
        count > MAX_NAME_CARDS &&
        (before.get(key) ?? count) > MAX_NAME_CARDS
      ) {
        continue;
      }
      for (const file of holders) {
        if (reached.has(file)) continue;
        reached.add(file);
        if (reached.size > most) return this.whole(loaded, overrides, oneSource, overridesKey);
        for (const k of (last.cards.get(file) as Known).keys) {
          if (!seen.has(k)) {
            seen.add(k);
            queue.push(k);
          }
        }
      }
    }

    // Those cards grouped again, with what only the whole catalog knows.
    const cardOf = (file: string) => (last.cards.get(file) as Known).entry;
    const part = groupActors([...reached].map(cardOf), overrides, {
      oneSource,
      nameCount: (key) => last.holders.get(`n:${key}`)?.size ?? 0,
    });
    // The other actors, with this build's copies of their (unchanged) cards.
    const gone = new Set(removed.map(([file]) => file));
    const untouched = (e: LoadedCard) => !gone.has(e.source.file) && !reached.has(e.source.file);
    const now = (e: LoadedCard) => cardOf(e.source.file);
    const kept = last.actors
      .filter((a) => a.cards.every(untouched) && a.folded.every(untouched))
      .map((a) => ({ ...a, cards: a.cards.map(now), folded: a.folded.map(now) }));
    const actors = mergeActors(kept, part.actors);
    const hidden = mergeSorted(last.hidden.filter(untouched).map(now), part.hidden, (a, b) =>
      cardOrder(a, b),
    );
    last.actors = actors;
    last.hidden = hidden;
    return { set: { actors, hidden, links: part.links }, whole: false, regrouped: reached.size };
  }

  private whole(
    loaded: readonly LoadedCard[],
    overrides: ActorOverrides,
    oneSource: boolean,
    overridesKey: string,
  ): Grouping {
    const facts = loaded.map((e) => cardFacts(e, !oneSource));
    const set = groupActors(loaded, overrides, { oneSource, facts });
    const sameGroups = sameGroupsOf(overrides);
    const last: Last = {
      oneSource,
      overrides: overridesKey,
      cards: new Map(),
      holders: new Map(),
      actors: set.actors,
      hidden: set.hidden,
    };
    const build = ++this.build;
    for (const f of facts) {
      this.hold(last, f.entry.source.file, {
        entry: f.entry,
        keys: keysOf(f, sameGroups),
        seen: build,
      });
    }
    this.last = last;
    return { set, whole: true, regrouped: loaded.length };
  }

  private hold(last: Last, id: string, known: Known): void {
    last.cards.set(id, known);
    for (const key of known.keys) {
      const set = last.holders.get(key);
      if (set) set.add(id);
      else last.holders.set(key, new Set([id]));
    }
  }

  private drop(last: Last, id: string, known: Known): void {
    last.cards.delete(id);
    for (const key of known.keys) {
      const set = last.holders.get(key);
      set?.delete(id);
      if (set?.size === 0) last.holders.delete(key);
    }
  }
}

/**
 * Kept actors (in the last grouping's order) and regrouped ones, in groupActors' order: by
 * display name (the collator's order), then lead UUID, then the actor's first card. Each
 * regrouped actor's place is found by a binary search: a few names compared, not every one.
 */
function mergeActors(kept: Actor[], regrouped: Actor[]): Actor[] {
  const nameOf = (a: Actor) => displayName((a.cards[0] as LoadedCard).card);
  const first = (a: Actor) =>
    a.cards.reduce((m, e) => (cardOrder(e, m, cardUuid(e), cardUuid(m)) < 0 ? e : m));
  const order = (p: Actor, q: Actor) =>
    compareNames(nameOf(p), nameOf(q)) ||
    (p.id < q.id ? -1 : p.id > q.id ? 1 : 0) ||
    cardOrder(first(p), first(q));
  const placed = [...regrouped].sort(order).map((actor) => {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(kept[mid] as Actor, actor) < 0) lo = mid + 1;
      else hi = mid;
    }
    return { actor, at: lo };
  });
  const out: Actor[] = [];
  let from = 0;
  for (const { actor, at } of placed) {
    for (; from < at; from++) out.push(kept[from] as Actor);
    out.push(actor);
  }
  for (; from < kept.length; from++) out.push(kept[from] as Actor);
  return out;
}

/** Two lists each sorted by `order`, as one. */
function mergeSorted<T>(a: readonly T[], b: readonly T[], order: (x: T, y: T) => number): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (order(b[j] as T, a[i] as T) < 0) out.push(b[j++] as T);
    else out.push(a[i++] as T);
  }
  while (i < a.length) out.push(a[i++] as T);
  while (j < b.length) out.push(b[j++] as T);
  return out;
}
