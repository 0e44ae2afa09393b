/**
 * `npm start` compiles only when a source changed since the last build (bin/build-if-stale.js):
 * the check compares the build's stamp with every source file's and folder's time.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STAMP, staleReason } from '../../bin/build-if-stale.js';

const stale = staleReason;
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A project folder whose every file and folder is dated `at` (seconds). */
function project(at: number): string {
  const root = mkdtempSync(join(tmpdir(), 'aptcard-stale-'));
  roots.push(root);
  for (const f of ['src/a.ts', 'src/deep/b.ts', 'adapters/c.ts', 'app/d.ts', 'package.json'])
    write(root, f, at);
  for (const d of ['src/deep', 'src', 'adapters', 'app']) utimesSync(join(root, d), at, at);
  return root;
}

function write(root: string, file: string, at: number): void {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), 'x');
  utimesSync(join(root, file), at, at);
}

describe('building only when a source changed', () => {
  it('builds when there was no build', () => {
    expect(stale(project(1_000))).toBe('no build yet');
  });

  it('does not build when the build is newer than every source', () => {
    const root = project(1_000);
    write(root, STAMP, 2_000);
    expect(stale(root)).toBeUndefined();
  });

  it('builds after a source, a new file deep down, or a setting changed', () => {
    const changed = (file: string) => {
      const root = project(1_000);
      write(root, STAMP, 2_000);
      write(root, file, 3_000);
      return stale(root);
    };
    expect(changed('src/deep/b.ts')).toBe('src changed');
    expect(changed('src/deep/new/e.ts')).toBe('src changed');
    expect(changed('adapters/c.ts')).toBe('adapters changed');
    expect(changed('package.json')).toBe('package.json changed');
    expect(changed('tsconfig.build.json')).toBe('tsconfig.build.json changed');
  });

  it('builds after a source was removed (its folder changed)', () => {
    const root = project(1_000);
    write(root, STAMP, 2_000);
    rmSync(join(root, 'app/d.ts'));
    expect(stale(root)).toBe('app changed');
  });
});
