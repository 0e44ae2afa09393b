import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ImportError } from './json.js';

/**
 * One import at a time per folder: two imports planning against the same manifest would each
 * write their own view of it, and the second would forget (or prune) what the first wrote.
 *
 * The lock is a dot file in the folder (the catalog and the watcher skip dot files), created
 * exclusively, holding the owner's pid and host. A lock left by a process of this host that no
 * longer runs (a crash, a kill -9) is stale and taken over; one from another host (a shared
 * folder) cannot be checked, so the message says how to remove it.
 */
export const LOCK_FILE = '.aptcard-import.lock';

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, started: String(parsed.started ?? '') };
    }
  } catch {
    // Unreadable or half-written: treated as held, by an unknown owner.
  }
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Run `fn` holding the folder's import lock (the folder is created if need be). */
export function withImportLock<T>(dir: string, fn: () => T): T {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(path);
      const stale = owner && owner.host === me.host && !isRunning(owner.pid);
      if (stale && attempt === 0) {
        rmSync(path, { force: true });
        continue;
      }
      const who = owner
        ? `process ${owner.pid} on ${owner.host}, since ${owner.started}`
        : 'an unknown process';
      throw new ImportError(
        `another import is writing to ${dir} (${who}); wait for it to finish, or delete ${path} if no import is running`,
      );
    }
  }
  try {
    return fn();
  } finally {
    rmSync(path, { force: true });
  }
}
