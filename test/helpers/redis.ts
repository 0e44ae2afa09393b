/**
 * A real redis-server for the tests (Debian's package), on a free loopback port with its data
 * in a temporary folder, no persistence. Absent on a developer machine: those tests skip with a
 * line saying how to install it. Under CI=true it must be there (.ci/run installs it).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findRedisServer(): string | undefined {
  for (const candidate of [
    'redis-server',
    '/usr/bin/redis-server',
    '/usr/local/bin/redis-server',
  ]) {
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

export const REDIS_SERVER = findRedisServer();
export const hasRedis = REDIS_SERVER !== undefined;

if (!hasRedis && process.env.CI === 'true') {
  throw new Error('redis-server is required under CI=true: apt-get install -y redis-server');
}

/** Say once per file that the Redis tests were skipped, and how to run them. */
export function noteRedisSkipped(): void {
  if (!hasRedis) {
    console.warn(
      '[redis] SKIPPED: redis-server not found. Install it to run these tests ' +
        '(Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis).',
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (or rejects after `ms`). */
async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not listen on ${port} within ${ms} ms`);
}

export class RedisServer {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    if (!REDIS_SERVER) throw new Error('redis-server is not installed');
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'aptcard-redis-')));
    await server.resume();
    return server;
  }

  /** Start (again) on the same port: the data is gone (no persistence), as after a crash. */
  async resume(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      REDIS_SERVER ?? 'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await waitForPort(this.port, 5000);
  }

  /** Stop the server (a fault: Redis gone). */
  async pause(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.pause();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
