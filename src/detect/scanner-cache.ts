/**
 * The enrichment scanner's tables in the cache folder (`index-<key>-scanner.bin`), so that a
 * warm `aptcard detect` wraps them instead of building the scanner (which reads every card:
 * about 60 ms for the ETDA catalog). The key is everything the tables depend on: the catalog
 * (its index key: the cards' bytes and their grouping into actors), the analyst's overrides,
 * ENRICH_ALLOW and ENRICH_DENY, the English lists (size and time), and the code that builds
 * them (the size and time of its modules, and SCANNER_TABLES_VERSION). Any other value is
 * another file; a file that does not read back as tables of this key is a miss.
 *
 * Layout: 8 bytes of magic, the header's length (4 bytes, little-endian), the header (ASCII
 * JSON: the key, the texts, the arrays' lengths), padding to 4 bytes, then the Int32Arrays in
 * arraysOf's order and this machine's byte order (part of the key).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asciiJson, makeFolder, writeAtomicBytes } from '../catalog/cache.js';
import { CARD_CACHE_VERSION } from '../catalog/card-cache.js';
import type { Catalog } from '../catalog/catalog.js';
import { ACTOR_CACHE_VERSION, indexCacheKey } from '../catalog/index-cache.js';
import { MODULE_EXT, SRC_ROOT } from '../code-location.js';
import { Detector, type DetectorOptions } from './detector.js';
import { listsKey } from './english-memo.js';
import type { BuildPolicy } from './scanner-build.js';
import {
  arraysOf,
  headOf,
  SCANNER_TABLES_VERSION,
  type ScannerTables,
  type TablesHead,
  tablesFrom,
} from './scanner-tables.js';

const MAGIC = 'APTSCAN1';

/** The modules whose code decides the tables (under the code's root, see code-location.ts). */
const BUILDER_MODULES = [
  'detect/scanner-build',
  'detect/scanner-tables',
  'detect/shape',
  'detect/risk',
  'detect/alphabet',
  'detect/automaton',
  'search/normalize',
];

let codeStamp: string | undefined | null = null;

/** Size and time of the modules that build the tables; undefined when one cannot be read. */
function builderCode(): string | undefined {
  if (codeStamp !== null) return codeStamp;
  try {
    codeStamp = BUILDER_MODULES.map((m) => {
      const st = statSync(fileURLToPath(new URL(`${m}${MODULE_EXT}`, SRC_ROOT)));
      return `${st.size.toString(36)}-${Math.round(st.mtimeMs).toString(36)}`;
    }).join(',');
  } catch {
    codeStamp = undefined;
  }
  return codeStamp;
}

/** The cache key of this catalog's scanner under `policy`; undefined: do not cache. */
export function scannerCacheKey(catalog: Catalog, policy: BuildPolicy): string | undefined {
  const lists = listsKey();
  const code = builderCode();
  if (!lists || !code) return undefined;
  return createHash('sha256')
    .update(
      `v${SCANNER_TABLES_VERSION}|${ACTOR_CACHE_VERSION}|${CARD_CACHE_VERSION}|${endianness()}|`,
    )
    .update(`${indexCacheKey(catalog)}|${lists}|${code}|`)
    .update(JSON.stringify([policy.allow ?? [], policy.deny ?? [], catalog.overrides]))
    .digest('hex')
    .slice(0, 24);
}

interface Header {
  key: string;
  tables: TablesHead;
  lengths: number[];
}

/** The file's parts: magic, header length and header, padded to 4 bytes; then the arrays. */
function fileParts(key: string, tables: ScannerTables): Uint8Array[] {
  const arrays = arraysOf(tables);
  const header: Header = { key, tables: headOf(tables), lengths: arrays.map((a) => a.length) };
  const head = Buffer.from(asciiJson(JSON.stringify(header)), 'latin1');
  const start = (MAGIC.length + 4 + head.length + 3) & ~3;
  const lead = Buffer.alloc(start);
  lead.write(MAGIC, 0, 'latin1');
  lead.writeUInt32LE(head.length, MAGIC.length);
  head.copy(lead, MAGIC.length + 4);
  return [lead, ...arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength))];
}

export function encodeTables(key: string, tables: ScannerTables): Buffer {
  return Buffer.concat(fileParts(key, tables));
}

/** The tables in `data` when they are of `key` and whole, else undefined. */
export function decodeTables(data: Uint8Array, key: string): ScannerTables | undefined {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return;
  const headLength = buf.readUInt32LE(MAGIC.length);
  const headEnd = MAGIC.length + 4 + headLength;
  if (headEnd > buf.length) return undefined;
  let header: Header;
  try {
    header = JSON.parse(buf.toString('latin1', MAGIC.length + 4, headEnd)) as Header;
  } catch {
    return undefined;
  }
  if (header?.key !== key || !Array.isArray(header.lengths)) return undefined;
  let at = (headEnd + 3) & ~3;
  const arrays: Int32Array[] = [];
  for (const n of header.lengths) {
    if (!Number.isInteger(n) || n < 0 || at + n * 4 > buf.length) return undefined;
    // A view when aligned (readFileSync's own buffer is), else a copy.
    const offset = buf.byteOffset + at;
    arrays.push(
      offset % 4 === 0
        ? new Int32Array(buf.buffer, offset, n)
        : new Int32Array(buf.buffer.slice(offset, offset + n * 4)),
    );
    at += n * 4;
  }
  return at === buf.length ? tablesFrom(header.tables, arrays) : undefined;
}

function scannerPath(cacheDir: string, key: string): string {
  return join(cacheDir, `index-${key}-scanner.bin`);
}

/**
 * Scanner files kept (the newest by time): one per catalog and settings, a few megabytes each
 * (25 MB at 10,000 cards), and each sync or setting makes another.
 */
const KEEP_SCANNERS = 3;

function pruneScanners(cacheDir: string, written: string): void {
  const files = readdirSync(cacheDir)
    .filter((name) => name.startsWith('index-') && name.endsWith('-scanner.bin'))
    .filter((name) => join(cacheDir, name) !== written)
    .map((name) => {
      const path = join(cacheDir, name);
      return { path, time: statSync(path).mtimeMs };
    })
    .sort((a, b) => b.time - a.time);
  for (const { path } of files.slice(KEEP_SCANNERS - 1)) rmSync(path, { force: true });
}

/**
 * The saved tables of this catalog under `policy`, read without blocking this thread (the
 * file is tens of megabytes at 10,000 cards; its arrays become views of the buffer read);
 * undefined when there are none for exactly this key (`key`: scannerCacheKey's, when the
 * caller has it already). For `aptcard start` (enricher.ts): a
 * warm start wraps them instead of starting the scanner worker, whose heap and build
 * garbage stayed in the bot's RSS (issue 19).
 */
export async function readCachedTables(
  catalog: Catalog,
  policy: BuildPolicy,
  cacheDir: string,
  key = scannerCacheKey(catalog, policy),
): Promise<ScannerTables | undefined> {
  if (!key) return undefined;
  let data: Buffer;
  try {
    data = await readFile(scannerPath(cacheDir, key));
  } catch {
    return undefined;
  }
  const tables = decodeTables(data, key);
  return tables && tables.actors === catalog.actors.length ? tables : undefined;
}

/**
 * Save a catalog's tables (built elsewhere: the scanner worker) for the next start, written
 * from the arrays themselves (no copy of them all into one buffer) and off this thread.
 * Failures are swallowed: the cache only saves time.
 */
export async function saveCachedTables(
  catalog: Catalog,
  policy: BuildPolicy,
  cacheDir: string,
  tables: ScannerTables,
  key = scannerCacheKey(catalog, policy),
): Promise<void> {
  if (!key) return;
  const path = scannerPath(cacheDir, key);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    makeFolder(cacheDir);
    const file = await open(tmp, 'w');
    try {
      for (const part of fileParts(key, tables)) await file.write(part);
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    pruneScanners(cacheDir, path);
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/**
 * The detector for this catalog under `policy`: wrapped from the cache folder's tables when an
 * earlier run saved them for exactly this key, else built (and saved for the next run).
 * `english` judges risks on first use either way.
 */
export function cachedDetector(
  catalog: Catalog,
  policy: BuildPolicy,
  english: Pick<DetectorOptions, 'words' | 'frequencies'>,
  cacheDir: string | false,
): Detector {
  const key = cacheDir ? scannerCacheKey(catalog, policy) : undefined;
  if (!cacheDir || !key) return new Detector(catalog.profiles, { ...policy, ...english });
  const path = scannerPath(cacheDir, key);
  let data: Buffer | undefined;
  try {
    data = readFileSync(path);
  } catch {
    data = undefined;
  }
  const tables = data && decodeTables(data, key);
  if (tables && tables.actors === catalog.actors.length) {
    const { actors } = catalog;
    return new Detector({ tables, entryAt: (i) => actors[i]!.profile.entry }, english);
  }
  const detector = new Detector(catalog.profiles, { ...policy, ...english });
  try {
    makeFolder(cacheDir);
    writeAtomicBytes(path, encodeTables(key, detector.tables));
    pruneScanners(cacheDir, path);
  } catch {
    // The cache only saves time.
  }
  return detector;
}
