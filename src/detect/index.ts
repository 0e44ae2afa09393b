/**
 * Automatic enrichment: spot actor aliases in chat messages (see detector.ts for the rules,
 * risk.ts for which aliases count only when written as a name, enricher.ts for the policy).
 */
import type { LoadedCard } from '../cards/model.js';
import type { AliasScanner } from '../core/types.js';
import type { SearchIndex } from '../search/index.js';
import { Detector, oneSharedName } from './detector.js';
import { settleSharedNames } from './settle.js';

export { type DetectedActor, type Detection, Detector, type Mention } from './detector.js';
export { AliasEnricher, type EnricherOptions } from './enricher.js';

const defaults = new WeakMap<SearchIndex, Detector>();

/** A detector with the default policy (no allow or deny list), one per catalog. */
export function defaultDetector(index: SearchIndex): Detector {
  let detector = defaults.get(index);
  if (!detector) {
    detector = new Detector(index.catalog.profiles);
    defaults.set(index, detector);
  }
  return detector;
}

/** The cards a text names, each once, in order (default policy). */
export function actorsIn(text: string, index: SearchIndex): LoadedCard[] {
  return settleSharedNames(defaultDetector(index).detect(text), index.catalog).actors.map(
    (a) => a.entry,
  );
}

/** Are the cards the text names all named by one name they share (default policy)? */
export function oneSharedNameIn(text: string, index: SearchIndex): boolean {
  return oneSharedName(settleSharedNames(defaultDetector(index).detect(text), index.catalog), text);
}

/** The scanner with the default policy, for a bot built without an enricher (tests, tools). */
export const defaultScanner: AliasScanner<SearchIndex, LoadedCard> = { actorsIn, oneSharedNameIn };
