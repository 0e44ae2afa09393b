import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import wordListPath from 'word-list';
import { englishWords, WordList } from '../../src/detect/words.js';

describe('WordList (binary search in the word-list file)', () => {
  const words = englishWords();

  it('knows ordinary words, including the risky aliases of the issue', () => {
    for (const w of [
      'lead',
      'safe',
      'tick',
      'mask',
      'panda',
      'iron',
      'silence',
      'zinc',
      'mercury',
    ]) {
      expect(words.has(w), w).toBe(true);
    }
    expect(words.has('patchwork')).toBe(true);
    expect(words.has('sandworm')).toBe(true);
  });

  it('does not know names, acronyms, numbers or anything that is not lower-case a-z', () => {
    for (const w of [
      'lazarus',
      'turla',
      'sofacy',
      'kimsuky',
      'cia',
      '21',
      'apt21',
      'Lead',
      'zïnc',
      '',
    ]) {
      expect(words.has(w), w).toBe(false);
    }
  });

  it('finds the first and last words and the few that are out of order in the file', () => {
    for (const w of ['aa', 'zzzs', 'manlily', 'manlihood', 'sharrows', 'sharrowed']) {
      expect(words.has(w), w).toBe(true);
    }
  });

  it('agrees with a plain Set on every 97th line of the file and on near misses', () => {
    const all = readFileSync(wordListPath, 'utf8').split('\n').filter(Boolean);
    const set = new Set(all);
    const fresh = new WordList(readFileSync(wordListPath, 'utf8'));
    for (let i = 0; i < all.length; i += 97) {
      const w = all[i]!;
      expect(fresh.has(w), w).toBe(true);
      for (const near of [`${w}q`, w.slice(0, -1), `${w}zz`]) {
        expect(fresh.has(near), near).toBe(set.has(near));
      }
    }
  });

  it('works on a small list too', () => {
    const small = new WordList('apple\nbanana\ncherry\n');
    expect(small.has('apple')).toBe(true);
    expect(small.has('cherry')).toBe(true);
    expect(small.has('banan')).toBe(false);
    expect(small.has('zebra')).toBe(false);
    expect(small.has('aardvark')).toBe(false);
  });
});
