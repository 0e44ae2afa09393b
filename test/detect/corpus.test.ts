/**
 * The detector over the real ETDA corpus (../shared/corpus/etda-cards, 447 cards), when it
 * exists: every name of every card, embedded in a sentence, is found and mapped to every card
 * that has it.
 */
import { describe, expect, it } from 'vitest';
import { allNames, type LoadedCard } from '../../src/cards/model.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { Detector } from '../../src/detect/detector.js';
import { shapeOf } from '../../src/detect/shape.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';
import { wholeAndByLine } from '../helpers/long-text.js';

noteSkipped('detector corpus tests', ETDA_CARDS_DIR);

describe.skipIf(!hasEtdaCards)('Detector over the ETDA corpus', () => {
  const catalog = hasEtdaCards ? loadCatalog(ETDA_CARDS_DIR, { cacheDir: false }) : undefined;
  const cards = catalog?.cards ?? [];
  const detector = new Detector(cards);
  const key = (name: string) => shapeOf(name).chars.join('');
  const owners = new Map<string, Set<LoadedCard>>();
  for (const entry of cards) {
    for (const name of allNames(entry.card)) {
      const k = key(name);
      owners.set(k, (owners.get(k) ?? new Set()).add(entry));
    }
  }

  it('finds every alias of every card in a sentence, mapped to all the cards that own it', () => {
    const misses: string[] = [];
    let checked = 0;
    let risky = 0;
    for (const entry of cards) {
      for (const name of allNames(entry.card)) {
        checked++;
        const written = detector.riskFor(name) === 'safe' ? name : name.toUpperCase();
        if (written !== name) risky++;
        const text = `Analysts linked the intrusion to ${written} last week.`;
        const start = 33;
        const at = detector.detect(text).mentions.filter((m) => m.start === start);
        const got = new Set(at.map((m) => m.entry));
        const want = owners.get(key(name))!;
        const whole = at.every((m) => m.end === start + written.length);
        if (!whole || got.size !== want.size || [...want].some((e) => !got.has(e))) {
          misses.push(`${name}: ${at.map((m) => `${m.name}@${m.start}-${m.end}`).join(', ')}`);
        }
      }
    }
    expect(misses).toEqual([]);
    expect(checked).toBeGreaterThan(1300);
    expect(risky).toBeGreaterThan(80);
  });

  it('finds safe aliases as written in lower case too, and risky ones capitalised mid-sentence', () => {
    const misses: string[] = [];
    for (const entry of cards) {
      for (const name of allNames(entry.card)) {
        const risk = detector.riskFor(name);
        const written = risk === 'safe' ? name.toLowerCase() : name;
        const text = `we traced it to ${written} yesterday`;
        const found = detector
          .detect(text)
          .mentions.some((m) => m.entry === entry && m.start === 16);
        if (!found) misses.push(`${name} (${risk}) as "${written}"`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('keeps every risky alias quiet in lower case', () => {
    const loud: string[] = [];
    for (const entry of cards) {
      for (const name of allNames(entry.card)) {
        const risk = detector.riskFor(name);
        if (risk !== 'word' && risk !== 'short') continue;
        const text = `and then ${name.toLowerCase()} was mentioned`;
        if (detector.detect(text).mentions.length > 0) loud.push(name);
      }
    }
    expect(loud).toEqual([]);
  });

  it('finds in all those sentences as one long text what it finds sentence by sentence', () => {
    // One long text is scanned from copied windows in four parts at once, a sentence straight
    // from the string: both ways must agree on every alias of the corpus.
    const lines: string[] = [];
    for (const entry of cards) {
      for (const name of allNames(entry.card)) {
        const risky = detector.riskFor(name) !== 'safe';
        lines.push(`Analysts linked it to ${risky ? name.toUpperCase() : name}, again.`);
        lines.push(`we traced it to ${risky ? name : name.toLowerCase()} 🐼 yesterday`);
      }
    }
    const { whole, byLine } = wholeAndByLine(detector, lines);
    expect(lines.join('\n').length).toBeGreaterThan(4 * 16384);
    expect(whole.length).toBeGreaterThan(2600);
    expect(whole).toEqual(byLine);
  });

  it('knows the shared aliases of the corpus as shared', () => {
    for (const alias of [
      'Grizzly Steppe',
      'Blackfly',
      'Iridium',
      'Monsoon',
      'Iron Tiger',
      'Brass Typhoon',
    ]) {
      const { mentions } = detector.detect(`attributed to ${alias.toUpperCase()} by vendors`);
      expect(new Set(mentions.map((m) => m.uuid)).size, alias).toBe(2);
    }
  });
});
