/** The real `aptcard` launcher in a child process, killed at a deadline. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
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

/** A running `aptcard` child: its output so far, a way to wait for a line, and its exit. */
export interface LiveLauncher {
  pid: number | undefined;
  out(): string;
  err(): string;
  /** Resolves once stderr matches `re` (rejects after `timeoutMs`). */
  waitForErr(re: RegExp, timeoutMs?: number): Promise<void>;
  /** Send a real signal to the child. */
  signal(name: NodeJS.Signals): void;
  /** Exit status and when it came (performance.now()); SIGKILLed after the deadline. */
  exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    killed: boolean;
    at: number;
  }>;
}

/**
 * Start the real `aptcard` launcher and leave it running (for tests that signal it). The child
 * is SIGKILLed `deadlineMs` after the start if it is still running, so a hang fails the test
 * instead of outliving it.
 */
export function spawnLauncher(
  argv: string[],
  options: { env?: Record<string, string>; deadlineMs?: number } = {},
): LiveLauncher {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/aptcard.js'), ...argv], {
    env: { PATH: process.env.PATH ?? '', CACHE_DIR: 'off', LOG_LEVEL: 'error', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let killed = false;
  const waiters = new Set<() => void>();
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8');
    for (const w of [...waiters]) w();
  });
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.deadlineMs ?? 20_000);
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    killed: boolean;
    at: number;
  }>((resolve) => {
    child.on('close', (code, signal) => {
      const at = performance.now();
      clearTimeout(timer);
      for (const w of [...waiters]) w();
      resolve({ code, signal, killed, at });
    });
  });
  child.stdin.end();
  return {
    pid: child.pid,
    out: () => out,
    err: () => err,
    signal: (name) => void child.kill(name),
    exited,
    waitForErr(re, timeoutMs = 10_000) {
      if (re.test(err)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (re.test(err)) {
            finish();
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(new Error(`aptcard exited before printing ${re}; stderr:\n${err}`));
          }
        };
        const t = setTimeout(() => {
          finish();
          reject(new Error(`timed out waiting for ${re} on stderr:\n${err}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(t);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
  };
}
