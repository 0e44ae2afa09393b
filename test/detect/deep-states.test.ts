/**
 * The automaton's deep states (src/detect/automaton.ts, DENSE_STATES): past a number of
 * states, the deepest get no dense row and are walked by their children. A scanner built so
 * finds exactly what the fully dense one finds (every key match, every mention), short texts
 * and long ones (scanned in four parts), separators, letters beyond ASCII and ignorables,
 * from the tables as built, saved and transferred.
 */
import { describe, expect, it } from 'vitest';
import { allNames, type LoadedCard } from '../../src/cards/model.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { DENSE_STATES } from '../../src/detect/automaton.js';
import { Detector } from '../../src/detect/detector.js';
import { decodeTables, encodeTables } from '../../src/detect/scanner-cache.js';
import { isScannerTables, type ScannerTables } from '../../src/detect/scanner-tables.js';
import { ALL } from '../fixtures/detect/cards.js';
import { ETDA_CARDS_DIR, hasEtdaCards, noteSkipped } from '../helpers/corpus.js';

/** Every key match and every mention, in order. */
function found(d: Detector, texts: readonly string[]): unknown[] {
  return texts.map((text) => ({
    // A key's own facts (its risks are worked out, and kept, on first use).
    raw: d
      .scanAll(text)
      .map((h) => `${h.key.chars.join('')}@${h.start}-${h.end}`)
      .sort(),
    mentions: d.detect(text).mentions.map((m) => [m.uuid, m.alias, m.start, m.end]),
  }));
}

/** Names as people write them: spaced, joined, hyphenated, in capitals, inside words. */
function texts(cards: readonly LoadedCard[]): string[] {
  const out: string[] = [];
  for (const entry of cards) {
    for (const name of allNames(entry.card)) {
      out.push(`Analysts linked it to ${name} last week.`);
      out.push(`${name.toUpperCase()}, ${name.toLowerCase()}-ish and x${name}`);
      out.push(
        `${name.replace(/ /g, ' - ')} / ${name.replace(/ /g, '')} / ${name.replace(/ /g, '\u00ad')}`,
      );
      out.push(`${name.slice(0, -1)} ${name}${name} ${name.replace(/a/g, 'ä')} ﬁ${name}`);
    }
    out.push(entry.card.description.join(' '));
  }
  // Long texts are scanned in windows of four parts at once.
  out.push(out.join(' '));
  out.push(out.slice(0, 400).join('\n'));
  return out;
}

function roundTrip(tables: ScannerTables): ScannerTables {
  const back = decodeTables(encodeTables('k', tables), 'k');
  expect(back).toBeDefined();
  return back as ScannerTables;
}

function compare(cards: readonly LoadedCard[], limits: readonly number[]): void {
  const dense = new Detector(cards);
  const all = texts(cards);
  const want = found(dense, all);
  expect(want.some((w) => (w as { mentions: unknown[] }).mentions.length > 0)).toBe(true);
  for (const denseStates of limits) {
    const deep = new Detector(cards, { denseStates });
    const { automaton } = deep.tables;
    expect(automaton.denseCount).toBeLessThan(automaton.nodeCount); // some states are deep
    expect(automaton.delta.length).toBe(automaton.denseCount * automaton.width);
    expect(found(deep, all), `denseStates ${denseStates}`).toEqual(want);
    const saved = new Detector({ tables: roundTrip(deep.tables), entryAt: (i) => cards[i]! });
    expect(found(saved, all.slice(0, 200))).toEqual(want.slice(0, 200));
  }
}

describe('deep automaton states', () => {
  it('find what dense rows find, over the fixture cards', () => {
    compare(ALL, [2, 20, 60]);
  });

  it('keep catalogs of up to DENSE_STATES states dense throughout', () => {
    const { automaton } = new Detector(ALL).tables;
    expect(automaton.nodeCount).toBeLessThan(DENSE_STATES);
    expect(automaton.denseCount).toBe(automaton.nodeCount);
  });

  it('are cut at whole depths: the root and its children are always dense', () => {
    const { automaton } = new Detector(ALL, { denseStates: 2 }).tables;
    expect(automaton.denseCount).toBeGreaterThan(2);
    const shallower = new Detector(ALL, { denseStates: automaton.denseCount }).tables.automaton;
    expect(shallower.denseCount).toBe(automaton.denseCount);
  });

  it('are refused from tables that name states there are not', () => {
    const { tables } = new Detector(ALL, { denseStates: 2 });
    expect(isScannerTables(tables)).toBe(true);
    const damaged = (change: (t: ScannerTables) => void) => {
      const copy = structuredClone(tables);
      change(copy);
      return isScannerTables(copy);
    };
    expect(damaged((t) => t.automaton.deepChildren.fill(t.automaton.nodeCount, 1, 2))).toBe(false);
    expect(damaged((t) => t.automaton.deepChildren.fill(-1, 0, 1))).toBe(false);
    expect(damaged((t) => t.automaton.deepFail.fill(t.automaton.nodeCount, 0, 1))).toBe(false);
    expect(damaged((t) => t.automaton.deepChildAt.fill(1, 0, 1))).toBe(false);
    expect(damaged(() => {})).toBe(true);
  });

  noteSkipped('deep automaton states over the ETDA corpus', ETDA_CARDS_DIR);
  it.skipIf(!hasEtdaCards)(
    'find what dense rows find, over the ETDA cards',
    () => {
      const catalog = loadCatalog(ETDA_CARDS_DIR, { cacheDir: false });
      compare(
        catalog.profiles.filter((_, i) => i % 3 === 0),
        [2, 1500],
      );
    },
    120_000,
  );
});
