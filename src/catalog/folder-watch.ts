/**
 * A watch of a folder and its sub-folders: one plain (non-recursive) fs.watch per folder.
 *
 * Why not `fs.watch(dir, { recursive: true })`: on Linux, Node 20 implements it in JavaScript
 * with one watch per file, and every change in a folder makes it list that whole folder again
 * and stat what is new, synchronously, on the main thread. At 10,000 cards that held every
 * query about 140 ms per change (measured with `npm run bench -- import`, a CPU profile of the
 * main thread: readdir, the watcher's #watchFolder, stat), far more than the rest of a reload.
 * A folder's own watch reports its files' changes with their names, so one watch per folder is
 * enough. Dot folders (an import's staging folder, a ConfigMap's versions) are not watched:
 * nothing in them is a card the catalog reads.
 */
import { type Dirent, type FSWatcher, lstatSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';

export type ChangeListener = (event: string, filename: string | null) => void;

export class FolderWatch {
  /** Relative path ('' for the top) -> its watch. */
  private readonly watches = new Map<string, FSWatcher>();
  private closed = false;

  /** Throws when the top folder cannot be watched (as fs.watch does). */
  constructor(
    private readonly root: string,
    private readonly onChange: ChangeListener,
    private readonly onError: (err: Error) => void,
  ) {
    this.add('', true);
  }

  private add(rel: string, top = false): void {
    if (this.closed || this.watches.has(rel)) return;
    const path = rel ? join(this.root, rel) : this.root;
    let watcher: FSWatcher;
    try {
      watcher = watch(path, (event, name) => this.event(rel, event, name));
    } catch (err) {
      if (top) throw err;
      return; // gone meanwhile, or unreadable: the next scan of its parent tries again
    }
    watcher.unref();
    watcher.on('error', (err) => {
      this.forget(rel);
      if (top) this.onError(err);
    });
    this.watches.set(rel, watcher);
    this.addFolders(rel);
  }

  /** Watch the sub-folders of `rel` that are not watched yet. */
  private addFolders(rel: string): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(rel ? join(this.root, rel) : this.root, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) this.add(join(rel, entry.name));
    }
  }

  private event(rel: string, event: string, name: string | Buffer | null): void {
    if (this.closed) return;
    const file = name === null ? null : name.toString();
    if (file === null) {
      this.onChange(event, rel || null);
      return;
    }
    const path = rel ? join(rel, file) : file;
    // A folder that came (made, or moved in whole) or went: watch what is there now.
    if (event === 'rename' && !file.startsWith('.')) {
      if (this.watches.has(path)) this.forgetGone(path);
      else if (isFolder(join(this.root, path))) this.add(path);
    }
    this.onChange(event, path);
  }

  /** A watched folder was renamed away or removed (its parent said so): stop its watches. */
  private forgetGone(rel: string): void {
    if (!isFolder(join(this.root, rel))) this.forget(rel);
  }

  private forget(rel: string): void {
    for (const [path, watcher] of this.watches) {
      if (path === rel || path.startsWith(`${rel}/`)) {
        watcher.close();
        this.watches.delete(path);
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watches.values()) watcher.close();
    this.watches.clear();
  }
}

/** A folder, not a link to one (links to folders are not followed, as files.ts does). */
function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
