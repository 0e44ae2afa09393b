/**
 * Precision and recall on the labelled set (bench/labelled.ts) built from the ETDA corpus names,
 * when the corpus exists; and, over the corpus, every name that is not a common word found in
 * lower case inside a sentence.
 */
import { describe, expect, it } from 'vitest';
import { labelledSet, score } from '../../bench/labelled.js';
import { allNames } from '../../src/cards/model.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { Detector } from '../../src/detect/detector.js';
import { explain } from '../../src/detect/explain.js';
import { englishFrequencies } from '../../src/detect/frequency.js';
import { COMMON_COUNT, FUNCTION_WORDS, PHRASE_COMMON_COUNT } from '../../src/detect/risk.js';
import { englishWords } from '../../src/detect/words.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

noteSkipped('labelled-set precision and recall', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('the labelled set over the ETDA corpus', () => {
  const cards = hasEtdaCards ? loadCatalog(ETDA_CARDS_DIR, { cacheDir: false }).cards : [];
  const detector = new Detector(cards);
  const frequencies = englishFrequencies();
  const words = englishWords();
  const set = labelledSet(cards, frequencies, words);

  it('has several hundred messages of every style, positives and negatives', () => {
    const positives = set.filter((s) => s.name);
    expect(positives.length).toBeGreaterThan(1300);
    expect(set.length - positives.length).toBeGreaterThan(600);
    const styles = new Set(positives.map((s) => s.name!.style));
    expect(styles.size).toBe(8);
    for (const item of positives) {
      // The label points at the name as written, not anywhere else.
      expect(item.name!.end - item.name!.start).toBeGreaterThan(0);
    }
  });

  it('reaches the targets of the issue: precision >= 98% and recall >= 97%', () => {
    const s = score(detector, set);
    const byStyle = [...s.byStyle].map(([k, v]) => `${k} ${v.found}/${v.all}`).join(', ');
    console.log(
      `labelled set: ${s.positives} positives, ${s.negatives} negatives; precision ${(100 * s.precision).toFixed(2)}%, recall ${(100 * s.recall).toFixed(2)}% (${byStyle}); ${s.falsePositives} false alarms, ${s.positives - s.truePositives} misses`,
    );
    expect(s.precision).toBeGreaterThanOrEqual(0.98);
    expect(s.recall).toBeGreaterThanOrEqual(0.97);
    // Every style the issue names as broken now finds its names.
    for (const style of [
      'joined, lower case',
      'dotted, lower case',
      'as the card writes it',
    ] as const) {
      const got = s.byStyle.get(style)!;
      expect(got.found / got.all, style).toBeGreaterThanOrEqual(0.98);
    }
  });

  it('fires nowhere in the generated English lines', () => {
    const english = set.filter((s) => s.source === 'generated English');
    const loud = english.filter((s) => detector.detect(s.text).mentions.length > 0);
    expect(loud.map((s) => s.text)).toEqual([]);
  });

  it('explains every message as it is detected: the same places fire', () => {
    for (const item of set) {
      const fired = explain(detector, item.text)
        .filter((e) => e.fired)
        .map((e) => `${e.start}:${e.end}`);
      const places = [
        ...new Set(detector.detect(item.text).mentions.map((m) => `${m.start}:${m.end}`)),
      ];
      expect(fired, item.text).toEqual(places);
    }
  });
});

describe.skipIf(!hasEtdaCards)('names that are not common words, over the ETDA corpus', () => {
  const cards = hasEtdaCards ? loadCatalog(ETDA_CARDS_DIR, { cacheDir: false }).cards : [];
  const detector = new Detector(cards);
  const frequencies = englishFrequencies();
  const words = englishWords();
  /**
   * Judged here from the lists themselves, not by the detector: a name written in lower case
   * is a common word when each of its space-separated words is a dictionary word counted at
   * least COMMON_COUNT times (a phrase: its rarest word at least PHRASE_COMMON_COUNT times; a
   * function word and one other word, "the dukes", count as that word alone), or numbers and
   * such words ("man 1"; "apt 28" and "group 72", which the actor prefix rule finds anyway).
   * Three characters or fewer are left out (they need capitals).
   */
  const common = (lower: string) => {
    const parts = lower.split(/\s+/).map((p) => p.replace(/[._-]/g, ''));
    const counts: number[] = [];
    let number = false;
    for (const p of parts) {
      if (/^\d+$/.test(p)) {
        number = true;
        continue;
      }
      if (!/^[a-z]+$/.test(p) || !words.has(p)) return false;
      counts.push(frequencies.count(p));
    }
    if (counts.length === 0) return false;
    const min = Math.min(...counts);
    const meaningful = parts.filter((p) => !FUNCTION_WORDS.has(p));
    return meaningful.length <= 1 || number ? min >= COMMON_COUNT : min >= PHRASE_COMMON_COUNT;
  };

  it('finds every one written in lower case inside a sentence, mapped to its card', () => {
    const misses: string[] = [];
    let checked = 0;
    for (const entry of cards) {
      for (const name of allNames(entry.card)) {
        const lower = name.toLowerCase();
        if (lower.replace(/[\s._-]/g, '').length <= 3 || common(lower)) continue;
        checked++;
        const text = `we traced it to ${lower} yesterday`;
        const hit = detector
          .detect(text)
          .mentions.some((m) => m.entry === entry && m.start === 16 && m.end === 16 + lower.length);
        if (!hit) misses.push(`${name} as "${lower}" (${detector.riskFor(lower)})`);
      }
    }
    expect(misses).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });
});
