import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, readInput } from '../../src/import/download.js';
import { ImportError } from '../../src/import/json.js';
import { fixture } from './helpers.js';

const BODY = JSON.stringify({
  values: Array.from({ length: 200 }, (_, i) => ({ value: `A${i}` })),
});
let server: Server;
let base = '';
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/ok') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(BODY),
      });
      // In pieces, so a progress bar has something to show.
      const buf = Buffer.from(BODY);
      let at = 0;
      const step = () => {
        if (at >= buf.length) return res.end();
        res.write(buf.subarray(at, at + 1000));
        at += 1000;
        setTimeout(step, 2);
      };
      step();
    } else if (url === '/missing') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    } else if (url === '/hang') {
      // Never answers: the timeout must end it.
    } else if (url === '/big-declared') {
      res.writeHead(200, { 'content-length': 10_000 });
      res.end('x'.repeat(10_000));
    } else if (url === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'application/json' }); // no length: chunked
      const timer = setInterval(() => res.write('x'.repeat(1000)), 1);
      res.on('close', () => clearInterval(timer));
    } else if (url === '/slow') {
      // Steady but slow: every piece comes well within the timeout.
      res.writeHead(200);
      let n = 0;
      const timer = setInterval(() => {
        res.write('[1,');
        if (++n === 5) {
          clearInterval(timer);
          res.end('2]');
        }
      }, 40);
    } else if (url === '/stall') {
      // Headers and a first piece, then silence.
      res.writeHead(200);
      res.write('[1,');
    } else {
      res.writeHead(500);
      res.end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return (err as Error).message;
  }
  throw new Error('expected the download to fail');
}

describe('download (against a local HTTP server)', () => {
  it('downloads a body, drawing a progress bar only on a TTY', async () => {
    let drawn = '';
    const tty = { isTTY: true, write: (s: string) => (drawn += s) };
    const bytes = await download(`${base}/ok`, { progress: tty });
    expect(Buffer.from(bytes).toString()).toBe(BODY);
    expect(drawn).toMatch(/downloading \[#+\] 100% /);
    expect(drawn.endsWith('\n')).toBe(true);

    let piped = '';
    await download(`${base}/ok`, {
      progress: { isTTY: false, write: (s: string) => (piped += s) },
    });
    expect(piped).toBe('');
  });

  it('fails clearly on an HTTP error status', async () => {
    expect(await failure(download(`${base}/missing`))).toBe(
      `cannot download ${base}/missing: HTTP 404 Not Found`,
    );
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    expect(await failure(download(`${base}/hang`, { timeoutMs: 150 }))).toMatch(
      /cannot download .*\/hang: no data for 0\.15 s \(timed out; --timeout sets the limit\)/,
    );
  });

  it('gives up on a download that stalls part way', async () => {
    expect(await failure(download(`${base}/stall`, { timeoutMs: 150 }))).toMatch(/timed out/);
  });

  it('accepts a slow download whose pieces keep coming within the timeout', async () => {
    const bytes = await download(`${base}/slow`, { timeoutMs: 1000 });
    expect(Buffer.from(bytes).toString()).toBe('[1,[1,[1,[1,[1,2]');
  });

  it('refuses a body over the size limit, declared or not', async () => {
    expect(await failure(download(`${base}/big-declared`, { maxBytes: 5000 }))).toMatch(
      /9\.8 KB is over the 4\.9 KB limit \(--max-size\)/,
    );
    expect(await failure(download(`${base}/big-chunked`, { maxBytes: 50_000 }))).toMatch(
      /more than the 48\.8 KB limit/,
    );
  });

  it('names the network error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await failure(download(`http://127.0.0.1:${port}/x`))).toMatch(/ECONNREFUSED/);
  });
});

describe('readInput', () => {
  it('reads a file, and refuses a missing or too large one before reading it', async () => {
    expect((await readInput(fixture('etda-wrapped.json'))).byteLength).toBeGreaterThan(100);
    expect(await failure(readInput(fixture('nope.json')))).toMatch(
      /cannot read .*nope\.json: no such file/,
    );
    expect(await failure(readInput(fixture('etda-small.json'), { maxBytes: 100 }))).toMatch(
      /over the 100 B limit/,
    );
  });
});
