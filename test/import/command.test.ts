import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../app/cli.js';
import { LOCK_FILE } from '../../src/import/lock.js';
import { fixture, fixtureText, memoryIO, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

async function cli(...args: string[]) {
  const m = memoryIO();
  const code = await main(args, m.io);
  return { code, out: m.out(), err: m.err() };
}

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/etda.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(fixtureText('etda-small.json'));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('aptcard import', () => {
  it('imports an ETDA file, then on a re-run reports nothing changed', async () => {
    const first = await cli('import', 'etda', fixture('etda-small.json'), '--out', dir);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^added {4}copper-lantern-apt-901\.md {2}Copper Lantern$/m);
    expect(first.out).toMatch(/etda: 3 card\(s\) in the source: 3 added/);
    expect(first.out).toMatch(/^warning {2}record 2 .*contains spaces/m);
    const again = await cli('import', 'etda', fixture('etda-small.json'), '--out', dir);
    expect(again.out).toMatch(/3 card\(s\) in the source: 3 unchanged/);
    expect(again.out).not.toMatch(/^added/m);
    const validate = await cli('validate', '--cards', dir);
    expect(validate.code).toBe(0);
    expect(validate.out).toMatch(/3 cards loaded .* 0 error\(s\)/);
  });

  it('downloads from a URL (progress only on a TTY, so none here)', async () => {
    const r = await cli('import', 'etda', `${base}/etda.json`, '--out', dir);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(readdirSync(dir).filter((f) => f.endsWith('.md'))).toHaveLength(3);
    const missing = await cli('import', 'etda', `${base}/nope.json`, '--out', dir);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot download .*nope\.json: HTTP 404/);
  });

  it('imports MISP galaxy clusters; the cards validate and every synonym is found', async () => {
    expect(
      (await cli('import', 'misp-galaxy', fixture('misp-threat-actor.json'), '--out', dir)).code,
    ).toBe(0);
    expect((await cli('import', 'misp', fixture('misp-mitre.json'), '--out', dir)).code).toBe(0);
    expect((await cli('validate', '--cards', dir)).code).toBe(0);
    for (const q of ['Lantern Team', 'APT901', 'LANTERN-9', 'G9901', 'Quiet Heron']) {
      const r = await cli('search', '--cards', dir, '--json', q);
      expect(JSON.parse(r.out).results.length, q).toBeGreaterThan(0);
    }
  });

  it('writes nothing for a malformed, hostile or oversized input, and says why', async () => {
    const bad = join(dir, 'bad.json');
    const out = join(dir, 'out');
    writeFileSync(bad, JSON.stringify([{ actor: 'X', uuid: 'nope' }]));
    let r = await cli('import', 'etda', bad, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/record 0 \("X"\): "uuid" must be a UUID/);
    writeFileSync(bad, `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    r = await cli('import', 'etda', bad, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nested deeper than 64 levels/);
    r = await cli(
      'import',
      'etda',
      fixture('etda-small.json'),
      '--out',
      out,
      '--max-size',
      '0.001',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/over the 1\.0 KB limit \(--max-size\)/);
    r = await cli('import', 'misp-galaxy', fixture('etda-small.json'), '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a MISP galaxy cluster/);
    expect(existsSync(out)).toBe(false);
  });

  it('--dry-run reports and writes nothing; usage errors exit 2', async () => {
    const r = await cli('import', 'etda', fixture('etda-small.json'), '--out', dir, '--dry-run');
    expect(r.out).toMatch(/3 added \(dry run: nothing written\)/);
    expect(readdirSync(dir)).toEqual([]);
    expect((await cli('import', 'openioc', 'x.json')).code).toBe(2);
    expect((await cli('import', 'etda')).code).toBe(2);
    expect((await cli('import', 'misp', 'x.json', '--extra-sections')).code).toBe(2);
    expect((await cli('import', 'etda', 'x.json', '--timeout', '-1')).code).toBe(2);
  });

  it('refuses to import while another import holds the folder, and takes over a stale lock', async () => {
    const lock = join(dir, LOCK_FILE);
    // Held by a running process of this host: this test's own.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
    const busy = await cli('import', 'etda', fixture('etda-small.json'), '--out', dir);
    expect(busy.code).toBe(1);
    expect(busy.err).toContain(`another import is writing to ${dir} (process ${process.pid}`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.md'))).toEqual([]);
    // A dry run only reads: it does not wait for the lock.
    expect(
      (await cli('import', 'etda', fixture('etda-small.json'), '--out', dir, '--dry-run')).code,
    ).toBe(0);

    // Left by a process that has exited: stale, taken over, and removed afterwards.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(
      lock,
      JSON.stringify({ pid: Number(gone.stdout), host: hostname(), started: 'then' }),
    );
    const ok = await cli('import', 'etda', fixture('etda-small.json'), '--out', dir);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/3 added/);
    expect(existsSync(lock)).toBe(false);
  });
});
