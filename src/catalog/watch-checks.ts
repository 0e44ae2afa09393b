/**
 * What the hot-reload watcher (watch.ts) decides by: is a change worth a reload, is the
 * watched folder still the same folder, does a build hold anything new to swap in.
 */
import { readlinkSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from './catalog.js';
import type { CatalogIssue } from './issues.js';
import { OVERRIDES_FILE } from './overrides.js';

/** An issue's identity across reloads: its file and message (its line may move). */
export const errorKey = (i: CatalogIssue) => `${i.file}\u0000${i.message}`;

/** Worth a reload: a card file, or a name with no extension (a folder). Dot files never. */
export function isRelevantChange(filename: string | null): boolean {
  if (filename === null) return true;
  // A Kubernetes ConfigMap updates by swapping its `..data` link to a new folder.
  if (filename === '..data') return true;
  const parts = filename.split(/[\\/]/);
  if (parts.some((p) => p.startsWith('.'))) return false;
  const last = parts[parts.length - 1] ?? '';
  return /\.md$/i.test(last) || !last.includes('.') || last === OVERRIDES_FILE;
}

/**
 * The folder at `dir` as device and inode, and the target of its `..data` link when it is a
 * Kubernetes ConfigMap (Node's recursive watch reports no event for a swapped link); undefined
 * when there is no folder.
 */
export function folderIdentity(dir: string): string | undefined {
  let stat: Stats;
  try {
    stat = statSync(dir);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return undefined;
  let data = '';
  try {
    data = readlinkSync(join(dir, '..data'));
  } catch {
    // Not a ConfigMap.
  }
  return `${stat.dev}:${stat.ino}:${data}`;
}

/** Same cards from the same files, and the same issues: nothing to swap. */
export function sameCatalog(a: Catalog, b: Catalog): boolean {
  if (a.cards.length !== b.cards.length || a.issues.length !== b.issues.length) return false;
  if (JSON.stringify(a.overrides) !== JSON.stringify(b.overrides)) return false;
  for (let i = 0; i < a.cards.length; i++) {
    const x = a.cards[i];
    const y = b.cards[i];
    if (x?.source.hash !== y?.source.hash || x?.source.file !== y?.source.file) return false;
    if (x?.source.origin !== y?.source.origin) return false;
    if (x?.source.attackIds?.join() !== y?.source.attackIds?.join()) return false;
  }
  return a.issues.every((issue, i) => {
    const other = b.issues[i];
    return other !== undefined && errorKey(issue) === errorKey(other) && issue.line === other.line;
  });
}
