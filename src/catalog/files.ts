/**
 * Stage 1 of loading: the card files of a folder, and their bytes. Nothing here parses.
 */
import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  type Stats,
  statSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { MAX_CARD_BYTES } from '../cards/parse.js';
import type { CatalogIssue } from './issues.js';

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
    // join(d, name) for every name below d is this prefix and the name (a name here has no
    // separator and is not "." or ".."): one join per folder instead of one per card.
    const prefix = join(d, 'x').slice(0, -1);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = prefix + entry.name;
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
 * The card files of a cards folder, or the error issue saying why it cannot be read (not a
 * folder, missing, unreadable): what every load starts with.
 */
export function listCardFolder(
  dir: string,
): { ok: true; files: string[]; issues: CatalogIssue[] } | { ok: false; issue: CatalogIssue } {
  const issues: CatalogIssue[] = [];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    return { ok: true, files: listCardFiles(dir, issues), issues };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const message = `cannot read cards folder: ${reason}`;
    return { ok: false, issue: { level: 'error', file: dir, line: 0, message } };
  }
}

/**
 * A card file's bytes, or why not (a string). Opened without blocking, so a FIFO or device
 * swapped in for a card is refused instead of hanging the loader (and the reload worker)
 * forever. Throws when the file cannot be opened.
 */
export function readCardFile(abs: string): Buffer | string {
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
