/**
 * The remembered English lookups (src/detect/english-memo.ts): a detector built on them answers
 * as one built on the full lists, the next run answers from the file, and a damaged or missing
 * file only costs time.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { rememberedEnglish } from '../../src/detect/english-memo.js';
import { ALL } from '../fixtures/detect/cards.js';

const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'aptcard-english-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const MESSAGES = [
  'infra overlaps with TEMP.Zhenbao',
  'we saw lead and Lead and LEAD in the logs',
  'sandworm, Sandworm, iron tiger and Iron Tiger',
  'fancy bear is a phrase; Fancy Bear is a name',
  'turla and zinc and Zinc',
];

const found = (d: Detector) =>
  MESSAGES.map((m) => d.detect(m).mentions.map((x) => `${m.slice(x.start, x.end)} -> ${x.name}`));

function memoDetector(cacheDir: string | false) {
  const english = rememberedEnglish(cacheDir);
  const detector = new Detector(ALL, { words: english.words, frequencies: english.frequencies });
  return { detector, english };
}

describe('remembered English lookups', () => {
  const reference = found(new Detector(ALL));

  it('answer as the full lists do, and are saved for the next run', () => {
    const cacheDir = tempDir();
    const first = memoDetector(cacheDir);
    expect(found(first.detector)).toEqual(reference);
    first.english.save();
    const [file] = readdirSync(cacheDir).filter((f) => f.startsWith('english-'));
    expect(file).toBeDefined();
    const memo = JSON.parse(readFileSync(join(cacheDir, file ?? ''), 'utf8')) as {
      counts: [string, number][];
      words: [string, boolean][];
    };
    expect(memo.counts.find(([w]) => w === 'lead')?.[1]).toBeGreaterThan(1000);
    expect(memo.words.find(([w]) => w === 'lead')?.[1]).toBe(true);
    expect(found(memoDetector(cacheDir).detector)).toEqual(reference);
  });

  it('the next run reads its answers from the file', () => {
    const cacheDir = tempDir();
    const first = memoDetector(cacheDir);
    found(first.detector);
    first.english.save();
    const [file] = readdirSync(cacheDir).filter((f) => f.startsWith('english-'));
    const path = join(cacheDir, file ?? '');
    const memo = JSON.parse(readFileSync(path, 'utf8')) as { counts: [string, number][] };
    // Plant an answer the full list would never give: "lead" is not counted at all.
    memo.counts = memo.counts.map(([w, n]) => [w, w === 'lead' ? 0 : n]);
    writeFileSync(path, JSON.stringify(memo));
    const planted = memoDetector(cacheDir);
    expect(planted.english.frequencies.count('lead')).toBe(0);
    expect(found(planted.detector)).not.toEqual(reference);
  });

  it('a damaged file or no cache folder answers from the full lists', () => {
    const cacheDir = tempDir();
    const first = memoDetector(cacheDir);
    found(first.detector);
    first.english.save();
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), '{"version":1,');
    expect(found(memoDetector(cacheDir).detector)).toEqual(reference);
    expect(found(memoDetector(false).detector)).toEqual(reference);
  });

  it('keeps words that are also object keys apart from the object machinery', () => {
    const english = rememberedEnglish(tempDir());
    expect(english.words.has('constructor')).toBe(true);
    expect(english.frequencies.count('__proto__')).toBe(0);
    english.save();
  });
});
