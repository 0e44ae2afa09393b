import { openIndex } from '../catalog/open.js';
import type { SearchIndex } from '../search/index.js';
import { catalogSettings, checkCardsFolder, reportErrors } from './cli-io.js';
import type { CliIO } from './command.js';

export * from './cli-io.js';

export function openCliIndex(io: CliIO, cards: string | undefined): SearchIndex {
  const { cardsDir, cacheDir, extraCardsDirs } = catalogSettings(io, cards);
  checkCardsFolder(cardsDir);
  const index = openIndex(cardsDir, cacheDir, extraCardsDirs);
  reportErrors(io, index.catalog);
  return index;
}
