/**
 * What every command shares except the search index: arguments, the cards folder, the catalog
 * and stdin's lines. Apart from shared.ts (which adds the index) so that `aptcard detect`
 * loads no search code (issue 19's lean CLI).
 */
import { readdirSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Catalog } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/load.js';
import { catalogConfig } from '../config.js';
import { type CliIO, EnvironmentError, UsageError } from './command.js';

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

/**
 * A cards folder that is missing or unreadable is an error for every command, not an empty
 * catalog: a script must not read "no actor" when the real answer is "wrong folder".
 */
export function checkCardsFolder(dir: string): void {
  const fix = 'give a folder of .md cards with --cards DIR or CARDS_DIR';
  try {
    if (!statSync(dir).isDirectory()) {
      throw new EnvironmentError(`cards folder ${dir} is not a folder: ${fix}`);
    }
    readdirSync(dir);
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new EnvironmentError(`cards folder ${dir} does not exist: ${fix}`);
    }
    throw new EnvironmentError(
      `cannot read cards folder ${dir} (${code ?? (err as Error).message}): check its permissions, or ${fix}`,
    );
  }
}

export function openCliCatalog(io: CliIO, cards: string | undefined): Catalog {
  const { cardsDir, cacheDir, extraCardsDirs } = catalogSettings(io, cards);
  checkCardsFolder(cardsDir);
  return loadCatalog(cardsDir, { cacheDir, extraDirs: extraCardsDirs });
}

/** Errors a search or a start prints before the count of the rest (validate lists them all). */
export const ERRORS_SHOWN = 5;

/**
 * Skipped files go to stderr, so stdout stays machine-readable: the first few, then how many
 * more (a catalog imported twice made 447 lines before each answer).
 */
export function reportErrors(io: CliIO, catalog: Pick<Catalog, 'issues'>): void {
  const errors = catalog.issues.filter((i) => i.level === 'error');
  for (const issue of errors.slice(0, ERRORS_SHOWN)) {
    io.stderr.write(
      `aptcard: ${issue.file}${issue.line ? `:${issue.line}` : ''}: ${issue.message}\n`,
    );
  }
  const more = errors.length - ERRORS_SHOWN;
  if (more > 0) {
    io.stderr.write(
      `aptcard: and ${more} more error${more === 1 ? '' : 's'} in the cards; "aptcard validate" lists them all\n`,
    );
  }
}

/** Each non-empty line of stdin, in order. */
/**
 * The lines of stdin, each without its line end. A line ends at LF or CRLF only: readline also
 * ends one at a lone CR, which would split one message into two.
 */
export async function* inputLines(io: CliIO): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of io.stdin) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = rest.indexOf('\n'); end >= 0; end = rest.indexOf('\n', start)) {
      const line = rest.slice(start, end);
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}
