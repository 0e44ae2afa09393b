/** The real `aptcard` launcher in a child process, killed at a deadline. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './corpus.js';

export interface LauncherRun {
  code: number | null;
  /** Still running at the deadline (and killed). */
  killed: boolean;
  out: string;
  err: string;
}

export function runLauncher(
  argv: string[],
  options: {
    env?: Record<string, string>;
    stdin?: string;
    deadlineMs?: number;
    /** Run as this user (root can, to test permissions root would ignore). */
    uid?: number;
  } = {},
): Promise<LauncherRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/aptcard.js'), ...argv], {
      env: { PATH: process.env.PATH ?? '', CACHE_DIR: 'off', LOG_LEVEL: 'error', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, options.deadlineMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, out, err });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
