import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';

/**
 * Membership in the `word-list` package's English word list (about 274,000 lower-case words,
 * one a line, sorted), without building a 274,000-entry Set at start-up.
 *
 * The file is read once (a few milliseconds) and searched in place: a binary search over line
 * starts, so looking up the two or three thousand words that aliases contain costs about a
 * millisecond. The list is sorted except for a couple of adjacent pairs ("manlily"/"manlihood"),
 * so after the search settles the few lines around it are compared too.
 */
export class WordList {
  /** Answers so far: a catalog reload asks again for nearly the same words. */
  private readonly memo = new Map<string, boolean>();

  constructor(private readonly text: string) {}

  /** Is `word` (lower-case a-z) a line of the list? Anything else is not an English word here. */
  has(word: string): boolean {
    let found = this.memo.get(word);
    if (found === undefined) {
      found = /^[a-z]+$/.test(word) && this.search(word);
      if (this.memo.size < 100_000) this.memo.set(word, found);
    }
    return found;
  }

  private search(word: string): boolean {
    const { text } = this;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = text.lastIndexOf('\n', mid - 1) + 1;
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      // A native comparison (by UTF-16 code units): far cheaper than a loop while this code
      // is still interpreted, which it is for the one build that reads the list.
      const line = text.slice(start, end);
      if (line === word) return true;
      if (line < word) lo = end + 1;
      else hi = start;
    }
    return this.near(Math.min(lo, text.length), word);
  }

  /** Compare `word` with the lines just before and after `pos` (the unsorted pairs). */
  private near(pos: number, word: string): boolean {
    const { text } = this;
    let start = pos === 0 ? 0 : text.lastIndexOf('\n', pos - 1) + 1;
    for (let back = 0; back < 3 && start > 0; back++) start = text.lastIndexOf('\n', start - 2) + 1;
    for (let i = 0; i < 7 && start < text.length; i++) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (text.slice(start, end) === word) return true;
      start = end + 1;
    }
    return false;
  }
}

let shared: WordList | undefined;

/** The word-list package's list, read on first use and kept for the life of the process. */
export function englishWords(): WordList {
  if (!shared) {
    // Latin-1 decoding is a plain copy (no UTF-8 validation): the same text for an ASCII file,
    // and for any other file the same order of lines and the same answer for a-z words.
    let text = readFileSync(wordListPath, 'latin1');
    if (text.includes('\r')) text = text.replace(/\r/g, '');
    shared = new WordList(text);
  }
  return shared;
}
