/**
 * Memoizes a renderer's output for card replies. The core prepares each card once and hands out
 * a fresh CardView per request that shares the prepared arrays (aliases, description, ...), so
 * a card rendered with the same options is the same message every time: keep the last few
 * renderings per prepared card (weakly, so a reloaded catalog frees them). A hit needs every
 * property of the view to be identical (the operations page element by element) and the same
 * options key; anything else renders afresh. Callers must not mutate what they get back.
 */
import type { CardView } from '../../src/core/types.js';

/**
 * Renderings kept per card. A Slack card message is about 5 KB of heap, so 447 cards with four
 * different share values each hold about 9 MB.
 */
const PER_CARD = 4;

interface Entry<T> {
  card: CardView;
  key: string;
  value: T;
}

function sameView(a: CardView, b: CardView): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof CardView)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (k === 'operations') {
      const x = a.operations;
      const y = b.operations;
      if (x === y) continue;
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    } else if (!Object.is(a[k], b[k]) || !Object.hasOwn(b, k)) {
      return false;
    }
  }
  return true;
}

export class CardMemo<T> {
  private readonly byCard = new WeakMap<object, Entry<T>[]>();

  get(card: CardView, key: string, render: () => T): T {
    const anchor = card.aliases as object;
    let entries = this.byCard.get(anchor);
    if (entries) {
      for (const e of entries) if (e.key === key && sameView(e.card, card)) return e.value;
    } else {
      entries = [];
      this.byCard.set(anchor, entries);
    }
    const value = render();
    entries.unshift({ card: { ...card, operations: [...card.operations] }, key, value });
    if (entries.length > PER_CARD) entries.length = PER_CARD;
    return value;
  }
}
