import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, withImportLock } from '../../src/import/lock.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('import lock', () => {
  it('is held while the work runs and released after, also when the work throws', () => {
    const lock = join(dir, 'new', LOCK_FILE);
    expect(withImportLock(join(dir, 'new'), () => existsSync(lock))).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(() =>
      withImportLock(dir, () => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('treats a lock it cannot read as held, and leaves it in place', () => {
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(() => withImportLock(dir, () => 1)).toThrow(/an unknown process.*delete .*lock/);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('does not take over a lock from another host (it cannot tell whether that one runs)', () => {
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: 1, host: 'elsewhere', started: 'x' }),
    );
    expect(() => withImportLock(dir, () => 1)).toThrow(/process 1 on elsewhere/);
  });
});
