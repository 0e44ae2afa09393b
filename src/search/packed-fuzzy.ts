/**
 * Fuzzy lookups over packed terms (packed-terms.ts), as fuzzy-terms.ts does them over
 * MiniSearch's tree: only the terms whose length is within the distance are read, those whose
 * characters alone rule them out are skipped, the rest are measured with Myers' distance.
 * Terms are read in place from the packed text (no string per term), and a term's id is its
 * place in the tree's iteration, the reverse of its fuzzy walk, so the hits come out in the
 * order MiniSearch's walk gives them (its scores are summed in that order). The tables are made once: the packed terms never
 * change; one deleted or changed since is checked when it is hit.
 */
import {
  boundedDistance,
  characterBound,
  characterMask,
  clearPattern,
  MAX_PATTERN,
  setPattern,
} from './edit-distance.js';
import type { FieldsLike, PackedArrays } from './packed-arrays.js';

/** What a fuzzy lookup reads of the packed terms. */
export interface FuzzySource {
  readonly packed: PackedArrays;
  readonly packedCount: number;
  termAt(id: number): string;
  isLive(id: number): boolean;
  valueAt(id: number): FieldsLike | undefined;
}

/** Terms measured per slice of prepareInSteps (a few milliseconds). */
const SLICE_TERMS = 8192;

export class PackedFuzzy {
  /** Per length, the ids of the packed terms of that length, ascending. */
  private byLength: Int32Array[] | undefined;
  /** Per packed term, its characterMask. */
  private masks: Int32Array | undefined;

  constructor(private readonly terms: FuzzySource) {}

  prepare(): void {
    if (this.byLength) return;
    const masks = new Int32Array(this.terms.packedCount);
    this.measure(masks, 0, masks.length);
    this.finish(masks);
  }

  /**
   * prepare() a slice at a time (10,000 cards' names: 42,000 terms, 5-20 ms in one go), for an
   * index taken in while another serves. A lookup meanwhile prepares at once.
   */
  async prepareInSteps(slices: { pause(): Promise<void> }): Promise<void> {
    const masks = new Int32Array(this.terms.packedCount);
    for (let from = 0; from < masks.length && !this.byLength; from += SLICE_TERMS) {
      this.measure(masks, from, Math.min(masks.length, from + SLICE_TERMS));
      await slices.pause();
    }
    if (!this.byLength) this.finish(masks);
  }

  /** The character masks of terms [from, to). */
  private measure(masks: Int32Array, from: number, to: number): void {
    const { text, at } = this.terms.packed;
    for (let id = from; id < to; id++) masks[id] = characterMask(text, at[id], at[id + 1]);
  }

  /** Each length's term ids, ascending. */
  private finish(masks: Int32Array): void {
    const { at } = this.terms.packed;
    const n = masks.length;
    const counts: number[] = [];
    for (let id = 0; id < n; id++) {
      const l = (at[id + 1] as number) - (at[id] as number);
      counts[l] = (counts[l] ?? 0) + 1;
    }
    const byLength = Array.from(
      { length: counts.length },
      (_, l) => new Int32Array(counts[l] ?? 0),
    );
    const filled = new Int32Array(counts.length);
    for (let id = 0; id < n; id++) {
      const l = (at[id + 1] as number) - (at[id] as number);
      const slot = filled[l] as number;
      (byLength[l] as Int32Array)[slot] = id;
      filled[l] = slot + 1;
    }
    this.byLength = byLength;
    this.masks = masks;
  }

  /** The packed terms within `max` edits of `term`, in the walk's order, with their distances. */
  get(term: string, max: number): Map<string, [FieldsLike, number]> {
    const hits: number[] = []; // id, distance, ...
    if (term.length > 0 && term.length <= MAX_PATTERN && Number.isInteger(max) && max >= 1) {
      this.scan(term, max, hits);
    } else this.walk(term, max, hits);
    // Ids are in the order the tree iterates, which goes through each node's keys from the
    // last: the exact reverse of the walk's order, which goes from the first.
    const order = Array.from({ length: hits.length / 2 }, (_, i) => i);
    order.sort((a, b) => (hits[2 * b] as number) - (hits[2 * a] as number));
    const out = new Map<string, [FieldsLike, number]>();
    for (const i of order) {
      const id = hits[2 * i] as number;
      const value = this.terms.valueAt(id);
      if (value) out.set(this.terms.termAt(id), [value, hits[2 * i + 1] as number]);
    }
    return out;
  }

  private scan(term: string, max: number, hits: number[]): void {
    this.prepare();
    const byLength = this.byLength as Int32Array[];
    const masks = this.masks as Int32Array;
    const { text, at } = this.terms.packed;
    const mask = characterMask(term);
    setPattern(term);
    try {
      const longest = Math.min(term.length + max, byLength.length - 1);
      for (let length = Math.max(1, term.length - max); length <= longest; length++) {
        const ids = byLength[length];
        if (!ids) continue;
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i] as number;
          if (characterBound(masks[id] as number, mask) > max) continue;
          const from = at[id] as number;
          const distance = boundedDistance(term, text, max, from, from + length);
          if (distance <= max && this.terms.isLive(id)) hits.push(id, distance);
        }
      }
    } finally {
      clearPattern(term);
    }
  }

  /** What the scan does not take (an empty or over-long term, a distance not whole): every term. */
  private walk(term: string, max: number, hits: number[]): void {
    const n = this.terms.packedCount;
    for (let id = 0; id < n; id++) {
      if (!this.terms.isLive(id)) continue;
      const distance = levenshtein(term, this.terms.termAt(id));
      if (distance <= max) hits.push(id, distance);
    }
  }
}

/** The plain edit distance (the walk's, for the lookups the scan does not take). */
function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + cost,
      );
    }
    row = next;
  }
  return row[b.length] as number;
}
