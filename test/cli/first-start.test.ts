import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli.js';
import { fakeIO } from '../helpers/cli.js';
import { CORPUS_DIR, noteSkipped } from '../helpers/corpus.js';
import { tempDir } from '../import/helpers.js';

const ICS = join(CORPUS_DIR, 'attack-stix/ics-attack.json');

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `aptcard start` as a console chat whose input stays open until `end()`. */
function start(env: Record<string, string>) {
  const stdin = new PassThrough();
  const fake = fakeIO({ CACHE_DIR: 'off', LOG_LEVEL: 'silent', ...env }, stdin);
  const exit = main(['start'], fake.io);
  return { ...fake, ask: (line: string) => stdin.write(`${line}\n`), end: () => stdin.end(), exit };
}

let closedPort = 0;
beforeAll(async () => {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  closedPort = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
});

describe('first start on the bundled sample', () => {
  it('with no network: starts at once on the sample, says so, and how to load the catalogs later', async () => {
    const { dir, cleanup } = tempDir('aptcard-first-');
    try {
      const t0 = Date.now();
      const bot = start({
        XDG_DATA_HOME: dir,
        SYNC_SOURCES: `etda=http://127.0.0.1:${closedPort}/etda.json`,
      });
      bot.ask('/apt hammer panda');
      await until(() => /^NetTraveler, APT 21, Hammer Panda$/m.test(bot.out()), 5000, 'the answer');
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(bot.err()).toContain(
        `aptcard: only the bundled sample is loaded (1 card); loading the public catalogs in the background into ${join(dir, 'aptcard/cards')} (SYNC_ON_START=false turns this off)`,
      );
      await until(() => bot.err().includes('could not load the public catalogs'), 5000, 'the note');
      expect(bot.err()).toContain('Run "aptcard sync" later, or point SYNC_SOURCES at a mirror');
      bot.end();
      expect(await bot.exit).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('SYNC_ON_START=false: no sync, one line saying how to load the catalogs', async () => {
    const { dir, cleanup } = tempDir('aptcard-first-');
    try {
      const bot = start({
        XDG_DATA_HOME: dir,
        SYNC_ON_START: 'false',
        SYNC_SOURCES: `etda=http://127.0.0.1:${closedPort}/etda.json`,
      });
      bot.ask('/apt hammer panda');
      await until(() => bot.out().includes('Hammer Panda'), 5000, 'the answer');
      bot.end();
      expect(await bot.exit).toBe(0);
      expect(bot.err()).toContain('run "aptcard sync" to load the public catalogs');
      expect(bot.err()).not.toContain('could not load');
    } finally {
      cleanup();
    }
  });

  it('refuses a wrong SYNC_INTERVAL or SYNC_SOURCES at start', async () => {
    const fake = fakeIO({ CACHE_DIR: 'off', SYNC_INTERVAL: '5 weeks', SYNC_SOURCES: 'x=y' });
    expect(await main(['start'], fake.io)).toBe(2);
    expect(fake.err()).toMatch(/SYNC_INTERVAL must be 0 \(off\) or a duration/);
    expect(fake.err()).toMatch(/SYNC_SOURCES: "x=y" is not KIND=URL/);
  });
});

noteSkipped('first start syncing from a local server', ICS);

describe.skipIf(!existsSync(ICS))('first start with a reachable source', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/ics.json') {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(readFileSync(ICS));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('syncs in the background and the cards arrive through hot reload', async () => {
    const { dir, cleanup } = tempDir('aptcard-first-');
    try {
      const bot = start({ XDG_DATA_HOME: dir, SYNC_SOURCES: `stix=${base}/ics.json` });
      bot.ask('/apt hammer panda');
      await until(() => bot.out().includes('Hammer Panda'), 5000, 'the sample answer');
      await until(
        () => existsSync(join(dir, 'aptcard/cards/stix/.aptcard-import.json')),
        20_000,
        'the synced folder',
      );
      let asked = 0;
      await until(
        () => {
          if (/^Sandworm Team$/m.test(bot.out())) return true;
          if (Date.now() - asked > 500) {
            asked = Date.now();
            bot.ask('/apt sandworm team');
          }
          return false;
        },
        30_000,
        'the synced card',
      );
      expect(bot.out()).toMatch(
        /ATT&CK techniques: \d+ · https:\/\/attack\.mitre\.org\/groups\/G0034/,
      );
      // The synced cards join the sample's: it still answers after the reload.
      const before = bot.out().length;
      bot.ask('/apt hammer panda');
      await until(() => bot.out().slice(before).includes('Hammer Panda'), 5000, 'the sample again');
      bot.end();
      expect(await bot.exit).toBe(0);
    } finally {
      cleanup();
    }
  }, 60_000);
});

describe('the synced data folder read together with the bundled sample', () => {
  it('search answers from both, and the sample is labelled as such', async () => {
    const { dir, cleanup } = tempDir('aptcard-together-');
    try {
      const env = { CACHE_DIR: 'off', XDG_DATA_HOME: dir };
      const cards = join(dir, 'aptcard/cards/local');
      mkdirSync(cards, { recursive: true });
      writeFileSync(
        join(cards, 'copper-lantern.md'),
        '# Threat actor: Copper Lantern\n\n**UUID**: 0b6c3a52-7d2e-4f1a-9c2b-1a2b3c4d5e6f\n\n## Threat actor aliases\n\nCopper Lantern\n',
      );
      const ask = async (...args: string[]) => {
        const fake = fakeIO(env);
        const code = await main(['search', '--json', ...args], fake.io);
        return { code, json: JSON.parse(fake.out()) as Record<string, unknown> };
      };
      const synced = await ask('copper lantern');
      expect(synced.json.outcome).toBe('profile');
      const sample = await ask('hammer panda');
      expect(sample.json.outcome).toBe('profile');
      const status = fakeIO(env);
      await main(['search', 'status'], status.io);
      expect(status.out()).toMatch(/^2 actors from 2 cards\. Sources: /);
      expect(status.out()).toContain('bundled sample (1 card)');
      // Named folders are read alone, as before.
      const named = fakeIO({ ...env, CARDS_DIR: cards });
      await main(['search', '--json', 'hammer panda'], named.io);
      expect((JSON.parse(named.out()) as { outcome: string }).outcome).toBe('none');
    } finally {
      cleanup();
    }
  });
});
