/**
 * `aptcard search --stdin ... | head -1`: when the reader closes the pipe, the launcher stops
 * quietly (no unhandled EPIPE and stack trace), through the real launcher in a child process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SEEDS_DIR } from '../helpers/corpus.js';

describe('a closed output pipe', () => {
  it('ends the command quietly', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin/aptcard.js'), 'search', '--cards', SEEDS_DIR, '--stdin'],
      { env: { ...process.env, CACHE_DIR: 'off' }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Read the first answer, then close our end, as `head -1` does.
    const first = await new Promise<string>((resolve) => {
      child.stdout.once('data', (d: Buffer) => {
        child.stdout.destroy();
        resolve(d.toString());
      });
      child.stdin.write('apt 21\n');
    });
    expect(JSON.parse(first.split('\n')[0] ?? '')).toMatchObject({ outcome: 'profile' });
    // Keep asking: each answer now goes to a closed pipe.
    const lines = 'apt 21\nhammer panda\n'.repeat(20_000);
    child.stdin.on('error', () => {});
    child.stdin.end(lines);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  }, 30_000);
});
