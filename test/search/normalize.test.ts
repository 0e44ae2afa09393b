/**
 * normalize() takes a short path for plain ASCII text (src/search/normalize.ts): it must give
 * what the full chain (NFKC, default-ignorables, dashes, apostrophes) gives.
 */
import { describe, expect, it } from 'vitest';
import { compactKey, normalize } from '../../src/search/normalize.js';

/** The full chain, as normalize() applies it to text that is not plain ASCII. */
function fullChain(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(/[\p{Pd}\u2212]/gu, '-')
    .replace(/[\u2018\u2019\u02bc]/gu, "'")
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim();
}

describe('normalize', () => {
  it('gives the full chain for every ASCII character and pair of them', () => {
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
    for (const a of ascii) {
      expect(normalize(a), JSON.stringify(a)).toBe(fullChain(a));
      for (const b of ascii) expect(normalize(` ${a}${b}x `)).toBe(fullChain(` ${a}${b}x `));
    }
  });

  it('gives the full chain for names as the catalogs write them, ASCII or not', () => {
    const names = [
      'APT 21',
      'apt-21',
      '  Fancy\tBear \n(APT28) ',
      'Sandworm_Team.v2',
      'ＡＰＴ２１',
      'a\u200bpt\u201121',
      'Abraham’s Ax',
      'Cozy\u00a0Bear',
      'TEMP.Veles',
      'Ke3chang / Vixen Panda',
      'Fail0verflow',
      '\u0130stanbul',
      'Asarök',
    ];
    for (const n of names) {
      expect(normalize(n), n).toBe(fullChain(n));
      expect(compactKey(n), n).toBe(fullChain(n).replace(/[\s\-._]+/gu, ''));
    }
    expect(compactKey('APT 21')).toBe('apt21');
    expect(compactKey('ＡＰＴ２１')).toBe('apt21');
  });
});
