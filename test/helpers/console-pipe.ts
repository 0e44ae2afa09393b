/** The real launcher's console (`aptcard start` with no platform token) on a pipe. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, SEEDS_DIR } from './corpus.js';

/** Run `aptcard start` on a pipe with these lines; kill it at the deadline. */
export function consoleOnPipe(
  lines: string[],
  env: Record<string, string> = {},
  deadlineMs = 20_000,
) {
  return new Promise<{ code: number | null; killed: boolean; out: string; err: string }>(
    (resolve) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/aptcard.js'), 'start'], {
        env: {
          PATH: process.env.PATH ?? '',
          CARDS_DIR: SEEDS_DIR,
          CACHE_DIR: 'off',
          WATCH: 'false',
          LOG_LEVEL: 'error',
          ...env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      let killed = false;
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, deadlineMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, killed, out, err });
      });
      child.stdin.end(lines.map((l) => `${l}\n`).join(''));
    },
  );
}
