/**
 * The on-disk caches, all in one folder (CACHE_DIR, default $XDG_CACHE_HOME/aptcard), and the
 * file helpers they share:
 *
 *   cards-<folder key>.json          parsed cards of one cards folder (card-cache.ts)
 *   index-<catalog key>-names.json   the serialized names index of one catalog (index-cache.ts)
 *   index-<catalog key>-text.json    the serialized prose index of one catalog (index-cache.ts)
 *   index-<cards key>-actors.json    one catalog's grouping into actors (index-cache.ts)
 *   index-<scanner key>-scanner.bin  the enrichment scanner's tables, for `aptcard detect`
 *                                    (src/detect/scanner-cache.ts)
 *   english-<lists key>.json         the English words `aptcard detect` looked up
 *                                    (src/detect/english-memo.ts)
 *
 * The caches only save time: every failure to read one is a miss and every failure to write
 * one is ignored, so a read-only or missing cache folder never stops a load.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { log } from '../log.js';

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aptcard');
}

const NON_ASCII_RE = /[\u007f-\uffff]/g;

/**
 * JSON text with every character past ASCII written as a \u escape: the same JSON, but read
 * back as a one-byte string. A few accented letters among megabytes of text would otherwise
 * make the whole file a two-byte string, slower to decode and to parse (the three public
 * catalogs' parsed cards: 24 ms read and parsed, 13-16 ms escaped).
 */
export function asciiJson(json: string): string {
  return json.replace(NON_ASCII_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Write JSON `text` to `path` (as asciiJson) through a temporary file: a concurrent reader sees
 * the old or the new file. A failed write (a full disk) removes its partial temporary file
 * before it throws.
 */
export function writeAtomic(path: string, text: string): void {
  writeAtomicBytes(path, asciiJson(text));
}

/** writeAtomic for any bytes (a binary cache file), as they are. */
export function writeAtomicBytes(path: string, data: string | Uint8Array): void {
  writeAtomicParts(path, [data]);
}

/** Parts are gathered into writes of about this many characters. */
const WRITE_BATCH = 1 << 20;

/**
 * writeAtomicBytes for a file made of many parts, written as they come: joining them first
 * made the whole file one string on top of its parts (the parsed-card cache of 10,000 cards:
 * 24 MB twice, at the top of a first start's peak). String parts are written as UTF-8.
 */
export function writeAtomicParts(path: string, parts: Iterable<string | Uint8Array>): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      let batch: string[] = [];
      let batched = 0;
      const flush = () => {
        if (batched > 0) writeFully(fd, batch.join(''));
        batch = [];
        batched = 0;
      };
      for (const part of parts) {
        if (typeof part !== 'string') {
          flush();
          writeFully(fd, part);
          continue;
        }
        batch.push(part);
        batched += part.length;
        if (batched >= WRITE_BATCH) flush();
      }
      flush();
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more to do here; the next start sweeps it (sweepStaleTemporaries).
    }
    throw err;
  }
}

/** writeSync until every byte is written (it may write fewer than asked). */
function writeFully(fd: number, data: string | Uint8Array): void {
  let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  while (bytes.length > 0) bytes = bytes.subarray(writeSync(fd, bytes));
}

// ---- the cache folder ----

/**
 * Filesystems that hold no files of ours, by statfs type. Under /proc, mkdir fails with ENOENT
 * on an existing parent, and Node's recursive mkdirSync retries that forever at 100% CPU.
 */
const VIRTUAL_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
]);

/** `dir` or its nearest parent that exists, and the folders below it still to make (top first). */
function nearestExisting(dir: string): { path: string; stat: Stats; missing: string[] } {
  const missing: string[] = [];
  let path = resolve(dir);
  for (;;) {
    try {
      return { path, stat: statSync(path), missing };
    } catch (err) {
      const parent = dirname(path);
      // ENOTDIR: a file on the way, found (and reported) one level up.
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === path) throw err;
      missing.unshift(path);
      path = parent;
    }
  }
}

/**
 * Make the folder one level at a time, never with mkdirSync's recursive retry loop: one mkdir
 * per missing level, so a filesystem that refuses fails at once.
 */
export function makeFolder(dir: string): void {
  const { path, stat, missing } = nearestExisting(dir);
  if (!stat.isDirectory()) throw new Error(`${path} is not a folder`);
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (err) {
      // Made meanwhile by another process: fine when it is a folder.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory())
        throw err;
    }
  }
}

/** Why `dir` cannot hold the caches, or undefined. Bounded: a few stats and mkdirs. */
export function cacheFolderProblem(dir: string): string | undefined {
  try {
    const { path, stat } = nearestExisting(dir);
    if (!stat.isDirectory()) return `${path} is not a folder`;
    let type: number | undefined;
    try {
      type = Number(statfsSync(path).type);
    } catch {
      type = undefined; // no statfs here: the mkdir below still fails fast
    }
    const virtual = type === undefined ? undefined : VIRTUAL_FILESYSTEMS.get(type);
    if (virtual) return `${path} is on the ${virtual} filesystem`;
    makeFolder(dir);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Temporary files of writeAtomic: "<cache file>.<pid>.tmp". */
const TEMPORARY_RE = /^(?:cards|index|english)-[^/]+\.(\d+)\.tmp$/;
/** A temporary file this old is a leftover even if its pid is alive again (a reused pid). */
const STALE_TEMPORARY_MS = 3600_000;

function processAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** Remove the temporary files that killed processes (or a full disk) left in the cache folder. */
export function sweepStaleTemporaries(cacheDir: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const match = TEMPORARY_RE.exec(name);
    if (!match) continue;
    const path = join(cacheDir, name);
    try {
      const fresh = now - statSync(path).mtimeMs < STALE_TEMPORARY_MS;
      if (fresh && processAlive(Number(match[1]))) continue; // being written right now
      rmSync(path, { force: true });
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
}

const checked = new Map<string, string | false>();

/**
 * The cache folder to use: `dir` when it can hold the caches, else false, with one warning
 * saying why. Checked once per folder and process; that first check also sweeps the temporary
 * files of dead processes. A folder that exists but is read-only is still used: its caches
 * can be read (writes fail quietly, as they always did).
 */
export function usableCacheDir(dir: string | false): string | false {
  if (dir === false) return false;
  const known = checked.get(dir);
  if (known !== undefined) return known;
  const problem = cacheFolderProblem(dir);
  if (problem) {
    log.warn(
      { cacheDir: dir, reason: problem },
      `cache folder ${dir} cannot be used (${problem}); running without the cache`,
    );
  } else {
    sweepStaleTemporaries(dir);
  }
  const usable = problem ? false : dir;
  checked.set(dir, usable);
  return usable;
}

/** Read a cache file; undefined when it is not there or cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A file's bytes, or undefined when it cannot be read (a cache file not written yet). */
export function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
