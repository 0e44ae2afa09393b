/**
 * The import journal: what an import is about to rename into a cards folder, written before the
 * first rename, removed after the last. An import killed in between (kill -9, power loss)
 * leaves the journal and its temporary folder behind; the next import finishes the renames
 * before it plans, so the folder, the manifest and the catalog agree again.
 *
 * Rolling forward, not back: by the time the journal exists every new file is complete in the
 * temporary folder (it is written last, atomically), so finishing is always possible, while
 * rolling back would need the old files, which the renames have replaced.
 *
 * Callers hold the folder's import lock (./lock.ts): with no other import running, any
 * temporary folder left in the folder belongs to a dead run and can be removed.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Prefix of an import's temporary folder inside the cards folder (a dot folder: never loaded). */
export const TEMP_PREFIX = '.aptcard-import-';
/** Beside the manifest; not under TEMP_PREFIX, so the sweep never takes it for a temp folder. */
export const JOURNAL_FILE = '.aptcard-import.journal';
const JOURNAL_VERSION = 1;

export interface Journal {
  /** The temporary folder's name, inside the cards folder. */
  temp: string;
  /** File names moved from the temporary folder into the cards folder, in order. */
  moves: string[];
  /** File names removed from the cards folder. */
  deletes: string[];
  /** The manifest, also in the temporary folder, moved last. */
  manifest: string;
}

const PLAIN_NAME_RE = /^[A-Za-z0-9.][A-Za-z0-9._-]{0,200}$/;
const isPlainName = (name: unknown): name is string =>
  typeof name === 'string' && PLAIN_NAME_RE.test(name) && basename(name) === name && name !== '..';

/** Commit point of an import: from here on, the next import finishes it. Atomic (rename). */
export function writeJournal(dir: string, journal: Journal): void {
  const staged = join(dir, journal.temp, JOURNAL_FILE);
  writeFileSync(staged, `${JSON.stringify({ version: JOURNAL_VERSION, ...journal })}\n`);
  renameSync(staged, join(dir, JOURNAL_FILE));
}

export function removeJournal(dir: string): void {
  rmSync(join(dir, JOURNAL_FILE), { force: true });
}

export function hasJournal(dir: string): boolean {
  return existsSync(join(dir, JOURNAL_FILE));
}

function readJournal(path: string): Journal | undefined {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as Partial<Journal> & { version?: unknown };
    const names = (list: unknown) => Array.isArray(list) && list.every(isPlainName);
    if (
      j.version === JOURNAL_VERSION &&
      isPlainName(j.temp) &&
      j.temp.startsWith(TEMP_PREFIX) &&
      isPlainName(j.manifest) &&
      names(j.moves) &&
      names(j.deletes)
    ) {
      return { temp: j.temp, moves: j.moves!, deletes: j.deletes!, manifest: j.manifest };
    }
  } catch {
    // Unreadable: reported below as damaged.
  }
  return undefined;
}

/**
 * Finish an import that was killed after its commit point, then remove the temporary folders of
 * dead runs. Returns one line per thing done, for the import's report (empty: nothing to do).
 */
export function recoverFolder(dir: string): string[] {
  const notes: string[] = [];
  const path = join(dir, JOURNAL_FILE);
  if (existsSync(path)) {
    const journal = readJournal(path);
    if (!journal) {
      // Cannot be written half (it is renamed into place), so this is a hand edit: say so, and
      // plan from the folder as it is (changed cards show as "edited by hand", never lost).
      notes.push(`${path}: not a valid import journal; ignored and removed`);
    } else {
      const temp = join(dir, journal.temp);
      // In the interrupted run's order: card files, deletes, then the manifest. A file no longer
      // in the temporary folder was moved before the kill.
      const move = (file: string) => {
        const from = join(temp, file);
        if (!existsSync(from)) return false;
        renameSync(from, join(dir, file));
        return true;
      };
      const moved = journal.moves.filter(move).length;
      for (const gone of journal.deletes) rmSync(join(dir, gone), { force: true });
      move(journal.manifest);
      notes.push(
        `finished an interrupted import: ${moved} of ${journal.moves.length} card file(s) moved into place now`,
      );
    }
    rmSync(path, { force: true });
  }
  let swept = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith(TEMP_PREFIX)) {
      rmSync(join(dir, entry.name), { recursive: true, force: true });
      swept++;
    }
  }
  if (swept > 0) notes.push(`removed ${swept} temporary folder(s) left by interrupted imports`);
  return notes;
}
