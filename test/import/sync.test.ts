import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli.js';
import { defaultDataDir, syncCardsDir } from '../../src/config.js';
import { parseSyncSources } from '../../src/import/sync.js';
import { CORPUS_DIR, ETDA_JSON, MISP_DIR, noteSkipped } from '../helpers/corpus.js';
import { memoryIO, tempDir } from './helpers.js';

const ICS = join(CORPUS_DIR, 'attack-stix/ics-attack.json');
const MISP = join(MISP_DIR, 'threat-actor.json');
const haveCorpus = [ICS, MISP, ETDA_JSON].every(existsSync);

describe('SYNC_SOURCES', () => {
  it('defaults to the three public sources, each in its own folder', () => {
    expect(parseSyncSources(undefined).map((s) => [s.kind, s.folder])).toEqual([
      ['etda', 'etda'],
      ['misp-galaxy', 'misp-galaxy'],
      ['stix', 'stix'],
    ]);
    expect(parseSyncSources('')[2]?.url).toMatch(/attack-stix-data.*enterprise-attack\.json$/);
  });

  it('reads KIND=URL entries; a second source of a kind gets a folder of its own', () => {
    expect(
      parseSyncSources(
        ' stix=https://m.example/ics-attack.json , stix=/data/mobile-attack.json,etda=./etda.json',
      ),
    ).toEqual([
      { kind: 'stix', url: 'https://m.example/ics-attack.json', folder: 'stix' },
      { kind: 'stix', url: '/data/mobile-attack.json', folder: 'stix-mobile-attack' },
      { kind: 'etda', url: './etda.json', folder: 'etda' },
    ]);
  });

  it('explains a wrong entry', () => {
    expect(() => parseSyncSources('openioc=https://x')).toThrow(
      /KIND one of etda, misp-galaxy, stix/,
    );
    expect(() => parseSyncSources('stix')).toThrow(/not KIND=URL/);
    expect(() => parseSyncSources('stix=ftp://x/y.json')).toThrow(/only http\(s\) URLs/);
  });

  it('puts synced cards in a data folder outside the repository when CARDS_DIR is unset', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/srv/data' })).toBe('/srv/data/aptcard/cards');
    expect(syncCardsDir({ XDG_DATA_HOME: '/srv/data' })).toBe('/srv/data/aptcard/cards');
    expect(syncCardsDir({ CARDS_DIR: '/cards' })).toBe('/cards');
    expect(syncCardsDir({ CARDS_DIR: '/cards' }, '/cli')).toBe('/cli');
  });

  it('aptcard sync: a wrong SYNC_SOURCES is a usage error', async () => {
    const m = memoryIO({ SYNC_SOURCES: 'nope' });
    expect(await main(['sync', '--cards', '/nonexistent-aptcard'], m.io)).toBe(2);
    expect(m.err()).toMatch(/SYNC_SOURCES: "nope" is not KIND=URL/);
  });
});

/** path -> sha256 of every file below dir (dot files included: the manifest counts). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const under = (snap: Record<string, string>, folder: string) =>
  Object.fromEntries(Object.entries(snap).filter(([k]) => k.startsWith(`${folder}/`)));

noteSkipped('sync against a local server serving the corpus', CORPUS_DIR);

describe.skipIf(!haveCorpus)('aptcard sync against a local server serving the corpus', () => {
  let server: Server;
  let base = '';
  /** What /ics.json serves: the real bundle, or one with its first group revoked. */
  let icsBody: Buffer;
  beforeAll(async () => {
    icsBody = readFileSync(ICS);
    const files: Record<string, () => Buffer> = {
      '/etda.json': () => readFileSync(ETDA_JSON),
      '/misp.json': () => readFileSync(MISP),
      '/ics.json': () => icsBody,
    };
    server = createServer((req, res) => {
      const body = files[req.url ?? '']?.();
      if (req.url === '/garbage.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"values": [oops');
      } else if (body) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('lands every source; a re-run changes nothing; a failing source leaves its folder intact', async () => {
    const { dir, cleanup } = tempDir('aptcard-sync-');
    try {
      const sources = `etda=${base}/etda.json,misp-galaxy=${base}/misp.json,stix=${base}/ics.json`;
      const first = memoryIO({ SYNC_SOURCES: sources });
      expect(await main(['sync', '--cards', dir], first.io)).toBe(0);
      expect(first.out()).toMatch(/^etda {2}ok {2}447 cards: 447 added/m);
      expect(first.out()).toMatch(/^misp-galaxy {2}ok {2}\d+ cards: \d+ added/m);
      expect(first.out()).toMatch(/^stix {2}ok {2}14 cards: 14 added/m);
      expect(first.out()).toContain(`synced 3 of 3 source(s) into ${dir}`);
      const landed = snapshot(dir);
      expect(Object.keys(under(landed, 'etda')).filter((f) => f.endsWith('.md'))).toHaveLength(447);
      expect(Object.keys(under(landed, 'stix')).filter((f) => f.endsWith('.md'))).toHaveLength(14);

      const second = memoryIO({ SYNC_SOURCES: sources });
      expect(await main(['sync', '--cards', dir], second.io)).toBe(0);
      expect(second.out()).toMatch(/^etda {2}ok {2}447 cards: 447 unchanged/m);
      expect(second.out()).toMatch(/^stix {2}ok {2}14 cards: 14 unchanged/m);
      expect(snapshot(dir)).toEqual(landed);

      // ETDA now answers 404, the MISP source garbage; ATT&CK revoked one of its groups.
      const bundle = JSON.parse(readFileSync(ICS, 'utf8')) as {
        objects: Record<string, unknown>[];
      };
      const group = bundle.objects.find((o) => o.type === 'intrusion-set' && o.revoked !== true)!;
      group.revoked = true;
      icsBody = Buffer.from(JSON.stringify(bundle));
      const broken = `etda=${base}/gone.json,misp-galaxy=${base}/garbage.json,stix=${base}/ics.json`;
      const third = memoryIO({ SYNC_SOURCES: broken });
      expect(await main(['sync', '--cards', dir], third.io)).toBe(1);
      expect(third.err()).toMatch(
        /^etda {2}FAILED {2}cannot download .*HTTP 404.*folder left as it was/m,
      );
      expect(third.err()).toMatch(/^misp-galaxy {2}FAILED {2}.*not valid JSON/m);
      expect(third.out()).toMatch(/^stix {2}ok {2}13 cards: 1 removed, 13 unchanged/m);
      expect(third.out()).toContain('synced 1 of 3 source(s)');
      const after = snapshot(dir);
      expect(under(after, 'etda')).toEqual(under(landed, 'etda'));
      expect(under(after, 'misp-galaxy')).toEqual(under(landed, 'misp-galaxy'));
      expect(Object.keys(under(after, 'stix')).filter((f) => f.endsWith('.md'))).toHaveLength(13);
    } finally {
      cleanup();
      icsBody = readFileSync(ICS);
    }
  });

  it('fills the search caches after landing, so the next command starts warm', async () => {
    const { dir, cleanup } = tempDir('aptcard-sync-');
    const cache = tempDir('aptcard-sync-cache-');
    try {
      const m = memoryIO({ SYNC_SOURCES: `stix=${base}/ics.json`, CACHE_DIR: cache.dir });
      expect(await main(['sync', '--cards', dir], m.io)).toBe(0);
      expect(m.err()).toMatch(/^search caches filled in [\d.]+ s/m);
      const files = readdirSync(cache.dir);
      for (const kind of [
        /^cards-/,
        /^index-.*-names\.json$/,
        /^index-.*-text\.json$/,
        /-actors\.json$/,
      ])
        expect(
          files.some((f) => kind.test(f)),
          String(kind),
        ).toBe(true);
      // With the cache off there is nothing to fill, and nothing is said.
      const off = memoryIO({ SYNC_SOURCES: `stix=${base}/ics.json` });
      expect(await main(['sync', '--cards', dir], off.io)).toBe(0);
      expect(off.err()).not.toContain('search caches');
    } finally {
      cleanup();
      cache.cleanup();
    }
  });

  it('a server that does not answer fails within the timeout, the others still land', async () => {
    const { dir, cleanup } = tempDir('aptcard-sync-');
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const m = memoryIO({
        SYNC_SOURCES: `etda=http://127.0.0.1:${port}/etda.json,stix=${base}/ics.json`,
      });
      const started = Date.now();
      expect(await main(['sync', '--cards', dir, '--timeout', '0.5'], m.io)).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(m.err()).toMatch(/^etda {2}FAILED {2}.*timed out/m);
      expect(m.out()).toMatch(/^stix {2}ok {2}14 cards: 14 added/m);
      expect(existsSync(join(dir, 'etda'))).toBe(false);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
      cleanup();
    }
  });
});
