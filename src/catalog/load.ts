import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  type Dirent,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { ActorCard, LoadedCard } from '../cards/model.js';
import { CardError, MAX_CARD_BYTES, parseCard } from '../cards/parse.js';
import { buildCatalog, type Catalog, type CatalogIssue } from './catalog.js';
import { LOCAL_SOURCE, OriginReader } from './origins.js';
import { readOverrides } from './overrides.js';

/** Bump when the parser's output changes, so old cache files are ignored. */
const CACHE_VERSION = 3;

export interface LoadOptions {
  /** Folder for the parsed-card cache; `false` disables it. Default: $XDG_CACHE_HOME/aptcard. */
  cacheDir?: string | false;
}

interface CacheFile {
  version: number;
  /** sha256 of the file's bytes -> the parsed card and its parse warnings. */
  cards: Record<string, { card: ActorCard; warnings: [number, string][] }>;
}

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aptcard');
}

const isCardName = (name: string) => /\.md$/i.test(name) && !/^readme\.md$/i.test(name);

/**
 * Every `.md` file below `dir` except README files, sorted for a stable order. A sub-folder
 * that cannot be read (or vanishes during the scan) is reported in `issues` and skipped, so
 * it never empties the catalog. Links to files are followed wherever they point (a Kubernetes
 * ConfigMap mounts every card as a link through `..data`): a link is as trusted as the folder
 * it sits in. Links to folders are not followed, so a link loop cannot make the scan endless.
 */
export function listCardFiles(dir: string, issues: CatalogIssue[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string, top: boolean) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      if (top) throw err;
      const file = relative(process.cwd(), d) || d;
      issues.push({
        level: 'error',
        file,
        line: 0,
        message: `unreadable folder: ${(err as Error).message}; skipped`,
      });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path, false);
      else if (entry.isFile() && isCardName(entry.name)) out.push(path);
      else if (entry.isSymbolicLink() && isCardName(entry.name)) {
        let target: Stats | undefined;
        try {
          target = statSync(path);
        } catch (err) {
          const file = relative(process.cwd(), path) || path;
          issues.push({
            level: 'error',
            file,
            line: 0,
            message: `broken link: ${(err as Error).message}; skipped`,
          });
        }
        if (target?.isFile()) out.push(path);
      }
    }
  };
  walk(dir, true);
  return out.sort();
}

/**
 * A card file's bytes, or an error. Opened without blocking, so a FIFO or device swapped in
 * for a card is refused instead of hanging the loader (and the reload worker) forever.
 */
function readCardFile(abs: string): Buffer | string {
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return 'not a regular file; skipped';
    if (stat.size > MAX_CARD_BYTES) return `larger than ${MAX_CARD_BYTES} bytes; skipped`;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function cachePath(cacheDir: string, cardsDir: string): string {
  const key = createHash('sha256').update(resolve(cardsDir)).digest('hex').slice(0, 16);
  return join(cacheDir, `cards-${key}.json`);
}

/** Has an earlier run cached this folder's parsed cards (so a load will mostly hit)? */
export function hasCardCache(cardsDir: string, cacheDir: string | false): boolean {
  return cacheDir !== false && existsSync(cachePath(cacheDir, cardsDir));
}

function readCache(path: string): CacheFile['cards'] {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    return parsed.version === CACHE_VERSION && parsed.cards ? parsed.cards : {};
  } catch {
    return {};
  }
}

function writeCache(path: string, dir: string, cards: CacheFile['cards']): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: CACHE_VERSION, cards } satisfies CacheFile));
    renameSync(tmp, path); // atomic: a concurrent reader sees the old or the new file
  } catch {
    // A read-only home is fine: the cache only saves time.
  }
}

/**
 * Load every card below `dir`. A file that is not a card becomes an error issue (with file and
 * line) and is skipped; every other card still loads. Parsed cards are cached by content hash,
 * so a restart re-parses only the files that changed.
 */
export function loadCatalog(dir: string, options: LoadOptions = {}): Catalog {
  let files: string[];
  const scanIssues: CatalogIssue[] = [];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    files = listCardFiles(dir, scanIssues);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return buildCatalog(
      [],
      [{ level: 'error', file: dir, line: 0, message: `cannot read cards folder: ${reason}` }],
    );
  }
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const path = cacheDir ? cachePath(cacheDir, dir) : undefined;
  const cached = path ? readCache(path) : {};
  const fresh: CacheFile['cards'] = {};
  let parsedAny = false;

  const issues: CatalogIssue[] = scanIssues;
  const loaded: LoadedCard[] = [];
  const origins = new OriginReader();
  for (const abs of files) {
    const file = relative(process.cwd(), abs) || abs;
    let bytes: Buffer;
    try {
      const read = readCardFile(abs);
      if (typeof read === 'string') {
        issues.push({ level: 'error', file, line: 0, message: read });
        continue;
      }
      bytes = read;
    } catch (err) {
      issues.push({
        level: 'error',
        file,
        line: 0,
        message: `unreadable: ${(err as Error).message}`,
      });
      continue;
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    let entry = cached[hash];
    if (!entry) {
      const warnings: [number, string][] = [];
      try {
        const card = parseCard(bytes, file, (line, message) => warnings.push([line, message]));
        entry = { card, warnings };
        parsedAny = true;
      } catch (err) {
        if (!(err instanceof CardError)) throw err;
        issues.push({ level: 'error', file, line: err.line, message: `${err.reason}; skipped` });
        continue;
      }
    }
    fresh[hash] = entry;
    for (const [line, message] of entry.warnings)
      issues.push({ level: 'warning', file, line, message });
    const origin = origins.originOf(abs);
    loaded.push({
      card: entry.card,
      source: {
        file,
        hash,
        ...(origin.source === LOCAL_SOURCE ? {} : { origin: origin.source }),
        ...(origin.ids.length ? { attackIds: origin.ids } : {}),
      },
    });
  }
  for (const p of origins.problems) issues.push({ level: 'warning', line: 0, ...p });
  const overrides = readOverrides(dir);
  issues.push(...overrides.issues);
  if (path && cacheDir && (parsedAny || Object.keys(cached).length !== Object.keys(fresh).length)) {
    writeCache(path, cacheDir, fresh);
  }
  return buildCatalog(loaded, issues, overrides.overrides);
}
