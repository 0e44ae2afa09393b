import { createInterface } from 'node:readline';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Catalog } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/load.js';
import { openIndex } from '../catalog/open.js';
import { catalogConfig } from '../config.js';
import type { SearchIndex } from '../search/index.js';
import { type CliIO, UsageError } from './command.js';

export const CARDS_OPTION = { cards: { type: 'string' } } as const;

/** parseArgs with usage errors instead of TypeErrors. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Cards folder and cache from --cards, CARDS_DIR and CACHE_DIR. */
export function catalogSettings(io: CliIO, cards: string | undefined) {
  return catalogConfig(io.env, cards);
}

export function openCliIndex(io: CliIO, cards: string | undefined): SearchIndex {
  const { cardsDir, cacheDir } = catalogSettings(io, cards);
  const index = openIndex(cardsDir, cacheDir);
  reportErrors(io, index.catalog);
  return index;
}

export function openCliCatalog(io: CliIO, cards: string | undefined): Catalog {
  const { cardsDir, cacheDir } = catalogSettings(io, cards);
  return loadCatalog(cardsDir, { cacheDir });
}

/** Skipped files go to stderr, so stdout stays machine-readable. */
export function reportErrors(io: CliIO, catalog: Catalog): void {
  for (const issue of catalog.issues) {
    if (issue.level === 'error') {
      io.stderr.write(
        `aptcard: ${issue.file}${issue.line ? `:${issue.line}` : ''}: ${issue.message}\n`,
      );
    }
  }
}

/** Each non-empty line of stdin, in order. */
export async function* inputLines(io: CliIO): AsyncGenerator<string> {
  const rl = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) yield line;
}
