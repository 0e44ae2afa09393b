/**
 * Pictures (issue 17): the targets map and the activity timeline of every ETDA card (or the
 * seeds), first render and cached render, and PNG sizes. The baseline, measured in this same
 * run, is rasterising the bare world map (no country filled): the floor any map costs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCard } from '../src/cards/parse.js';
import { actorPictures, pictureSubject } from '../src/pictures/index.js';
import { mapSvg } from '../src/pictures/map.js';
import { svgToPng } from '../src/pictures/png.js';
import { fmt, percentile } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, existsSync(resolve(HERE, '../package.json')) ? '..' : '../..');
const CORPUS = resolve(REPO, '../shared/corpus/etda-cards');

function summary(label: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${label}: median ${fmt(percentile(s, 50))} ms, p99 ${fmt(percentile(s, 99))} ms, max ${fmt(s.at(-1) ?? Number.NaN)} ms (n=${s.length})`;
}

export async function run(): Promise<void> {
  const dir = existsSync(CORPUS) ? CORPUS : resolve(REPO, 'seeds');
  if (dir !== CORPUS)
    console.log(`corpus ${CORPUS} not found: SKIPPED corpus figures, using seeds/`);
  const cards = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseCard(readFileSync(join(dir, f)), f));

  // Process start-up costs (atlas decode, font load, JIT) counted once, on their own.
  let t = performance.now();
  actorPictures(pictureSubject(cards[0]!));
  console.log(
    `first picture pair in this process (atlas + font load): ${fmt(performance.now() - t)} ms`,
  );

  const bare = mapSvg({ origin: [], targets: [] }).svg;
  const baseline: number[] = [];
  for (let i = 0; i < 30; i++) {
    t = performance.now();
    svgToPng(bare);
    baseline.push(performance.now() - t);
  }

  const first: number[] = [];
  const cached: number[] = [];
  let mapBytes = 0;
  let timelineBytes = 0;
  for (const card of cards) {
    const subject = pictureSubject(card);
    t = performance.now();
    const pictures = actorPictures(subject);
    first.push(performance.now() - t);
    t = performance.now();
    actorPictures(subject);
    cached.push(performance.now() - t);
    mapBytes += pictures.map?.png.length ?? 0;
    timelineBytes += pictures.timeline?.png.length ?? 0;
  }
  const med = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  console.log(summary('baseline, bare world map to PNG', baseline));
  console.log(summary(`map + timeline, first render, ${cards.length} cards`, first));
  console.log(summary('map + timeline, cached', cached));
  console.log(
    `ratio first render / bare map (medians): ${fmt(med(first) / med(baseline))}x; target: a pair in at most 50 ms`,
  );
  console.log(
    `PNG size, mean: map ${fmt(mapBytes / cards.length / 1024)} KB, timeline ${fmt(timelineBytes / cards.length / 1024)} KB`,
  );
}
