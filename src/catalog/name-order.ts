/**
 * The catalog's display-name order (Intl.Collator 'en', base sensitivity), as ranks remembered
 * between builds. A reload sorts the same cards and actors again with one name new among them;
 * sorting them with the collator was about 150 ms of each 10,000-card incremental build, twice
 * 10,000 names at log n comparisons each. Here a name's place is found once, by a binary search
 * with the collator, and the sorts compare integers.
 *
 * Names the collator finds equal share a rank, so a stable sort by rank gives the collator
 * sort's order exactly (test/catalog/name-order.test.ts).
 */

let collator: Intl.Collator | undefined;
/**
 * The collator's order of two names. Made on first use: loading ICU's collation data costs
 * about 10 ms, and a start from the actor cache sorts nothing.
 */
export const compareNames = (a: string, b: string): number => {
  collator ??= new Intl.Collator('en', { sensitivity: 'base' });
  return collator.compare(a, b);
};

/** More new names than this at once: sorted together and merged, not placed one by one. */
const ONE_BY_ONE = 64;

export class NameOrder {
  /** Every name seen, in collator order. */
  private sorted: string[] = [];
  /** sorted[i] is equal to sorted[i - 1] for the collator. */
  private sameAsPrevious: boolean[] = [];
  private rank = new Map<string, number>();

  /** A function giving each of `names` its rank (names seen before keep their order). */
  ranksOf(names: readonly string[]): (name: string) => number {
    const fresh = [...new Set(names.filter((n) => !this.rank.has(n)))];
    if (fresh.length > 0) {
      // Names of cards long gone are dropped once they are as many as the names in use.
      if (this.sorted.length + fresh.length > 2 * names.length + ONE_BY_ONE) {
        this.rebuild([...new Set(names)]);
      } else if (fresh.length > ONE_BY_ONE) {
        this.rebuild([...this.sorted, ...fresh]);
      } else {
        for (const name of fresh) this.insert(name);
        this.renumber();
      }
    }
    const rank = this.rank;
    return (name) => rank.get(name) ?? -1;
  }

  private rebuild(names: string[]): void {
    this.sorted = names.sort(compareNames);
    this.sameAsPrevious = this.sorted.map(
      (n, i) => i > 0 && compareNames(this.sorted[i - 1]!, n) === 0,
    );
    this.renumber();
  }

  private insert(name: string): void {
    const { sorted, sameAsPrevious } = this;
    // The first place whose name sorts after `name`: it goes after its equals.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareNames(sorted[mid]!, name) <= 0) lo = mid + 1;
      else hi = mid;
    }
    sorted.splice(lo, 0, name);
    sameAsPrevious.splice(lo, 0, lo > 0 && compareNames(sorted[lo - 1]!, name) === 0);
  }

  private renumber(): void {
    const rank = new Map<string, number>();
    let r = 0;
    this.sorted.forEach((name, i) => {
      if (i > 0 && !this.sameAsPrevious[i]) r++;
      rank.set(name, r);
    });
    this.rank = rank;
  }
}

/** The order this thread's catalogs are built in (the reload worker keeps it between reloads). */
export const NAME_ORDER = new NameOrder();

/** `items` sorted by `nameOf` in the collator's order, stably; ties then by `then`. */
export function sortByName<T>(
  items: T[],
  nameOf: (item: T) => string,
  then: (a: T, b: T) => number = () => 0,
  order: NameOrder = NAME_ORDER,
): T[] {
  const names = items.map(nameOf);
  const rankOf = order.ranksOf(names);
  const keyed = items.map((item, i) => ({ item, rank: rankOf(names[i]!) }));
  keyed.sort((a, b) => a.rank - b.rank || then(a.item, b.item));
  for (let i = 0; i < keyed.length; i++) items[i] = keyed[i]!.item;
  return items;
}
