/**
 * Pictures of an actor: the targets map and the activity timeline as PNG, cached by the
 * content they are drawn from, so a card asked for again (or shown on two platforms) is drawn
 * once. A picture that fails to draw is logged and left out; it never holds up the card.
 */
import { createHash } from 'node:crypto';
import { type ActorCard, displayName } from '../cards/model.js';
import { log } from '../log.js';
import { type MapInput, mapSvg } from './map.js';
import { svgToPng } from './png.js';
import { type TimelineInput, timelineSvg } from './timeline.js';

export interface PictureSubject extends MapInput, TimelineInput {
  /** For logs: the actor's display name. */
  name: string;
}

export interface ActorPictures {
  map?: { png: Buffer; notOnMap: string[]; filled: number };
  timeline?: { png: Buffer; years: number; undated: number };
}

/** Pictures of this many actors are kept; each pair is about 60-120 KB. */
const CACHE_SIZE = 64;
const cache = new Map<string, ActorPictures>();

function contentKey(subject: PictureSubject): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([subject.origin, subject.targets]));
  for (const list of [subject.operations, subject.counterOperations]) {
    hash.update('\0');
    for (const entry of list) hash.update(`${entry.date}\n`);
  }
  return hash.digest('base64url');
}

function draw<T>(what: string, name: string, make: () => T): T | undefined {
  try {
    return make();
  } catch (err) {
    log.warn({ err, actor: name }, `could not draw the ${what}; the card goes out without it`);
    return undefined;
  }
}

/** What a card's pictures are drawn from. */
export function pictureSubject(card: ActorCard): PictureSubject {
  return {
    name: displayName(card),
    origin: card.countries,
    targets: card.targets,
    operations: card.operations,
    counterOperations: card.counterOperations,
  };
}

/**
 * Both pictures of an actor. `render` turns SVG into PNG; tests pass a failing one to check that
 * a picture that cannot be drawn is left out rather than thrown.
 */
export function actorPictures(
  subject: PictureSubject,
  render: (svg: string, options?: { text: boolean }) => Buffer = svgToPng,
): ActorPictures {
  const key = contentKey(subject);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const pictures: ActorPictures = {};
  const map = draw('map', subject.name, () => {
    const picture = mapSvg(subject);
    return { png: render(picture.svg), notOnMap: picture.notOnMap, filled: picture.filled };
  });
  if (map) pictures.map = map;
  const timeline = draw('timeline', subject.name, () => {
    const picture = timelineSvg(subject);
    return { png: render(picture.svg), years: picture.bars.length, undated: picture.undated };
  });
  if (timeline) pictures.timeline = timeline;
  // A failed drawing is not cached: the next ask tries again.
  if (pictures.map && pictures.timeline) cache.set(key, pictures);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return pictures;
}
