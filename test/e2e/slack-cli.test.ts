/**
 * `aptcard start` with Slack tokens set: runs the Slack adapter (not the console), in Socket
 * Mode or HTTP mode, and stops cleanly on SIGTERM.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../app/cli.js';
import { FakeSlack } from '../fakes/slack.js';
import { fakeIO } from '../helpers/cli.js';

function io(env: Record<string, string | undefined>) {
  // No background sync of the public catalogs: tests never reach the internet.
  const { io: cli, out, err } = fakeIO({ SYNC_ON_START: 'false', ...env });
  return { cli, out, err };
}

/** A loopback port that was free a moment ago (PORT=0 would hide the address from the test). */
function freePort(): Promise<number> {
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

/** Deliver SIGTERM to the listener `start` added (a real kill would reach vitest too). */
async function sigterm(before: Set<unknown>): Promise<void> {
  let added: ((signal: NodeJS.Signals) => void) | undefined;
  while (!added) {
    added = process.listeners('SIGTERM').find((l) => !before.has(l)) as typeof added;
    if (!added) await new Promise((r) => setImmediate(r));
  }
  added('SIGTERM');
}

let fake: FakeSlack;
beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake?.close();
});

const common = () => ({
  SLACK_BOT_TOKEN: 'xoxb-cli-token',
  SLACK_API_URL: fake.apiUrl,
  SLACK_HOST: '127.0.0.1',
  CACHE_DIR: 'off',
  LOG_LEVEL: 'silent',
  WATCH: 'false',
});

describe('aptcard start with Slack tokens', () => {
  it('Socket Mode: connects instead of opening the console, stops cleanly on SIGTERM', async () => {
    const before = new Set<unknown>(process.listeners('SIGTERM'));
    const t = io({ ...common(), SLACK_APP_TOKEN: 'xapp-cli-token', PORT: '0' });
    const exit = main(['start'], t.cli);
    await fake.waitFor(
      () => (fake.connectedSockets === 1 ? true : undefined),
      'a Socket Mode connection',
    );
    await sigterm(before);
    expect(await exit).toBe(0);
    expect(t.out()).not.toContain('aptcard console');
    await fake.waitFor(
      () => (fake.connectedSockets === 0 ? true : undefined),
      'the socket to close',
    );
    expect(process.listeners('SIGTERM').filter((l) => !before.has(l))).toEqual([]);
  });

  it('HTTP mode: serves /healthz on PORT with the number of cards, stops on SIGTERM', async () => {
    const before = new Set<unknown>(process.listeners('SIGTERM'));
    const port = await freePort();
    const t = io({ ...common(), SLACK_SIGNING_SECRET: 'cli-secret', PORT: String(port) });
    const exit = main(['start'], t.cli);
    // Wait until auth.test has been answered and the server listens.
    let health: Response | undefined;
    while (!health) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (!health) await new Promise((r) => setTimeout(r, 20));
    }
    expect(await health.json()).toEqual({ status: 'ok', cards: 1 });
    await sigterm(before);
    expect(await exit).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('explains a rejected bot token without printing it', async () => {
    fake.failing.set('auth.test', 'invalid_auth');
    try {
      const t = io({ ...common(), SLACK_SIGNING_SECRET: 'cli-secret', PORT: '0' });
      expect(await main(['start'], t.cli)).toBe(1);
      expect(t.err()).toContain('Slack did not accept SLACK_BOT_TOKEN (auth.test: invalid_auth)');
      expect(t.err()).not.toContain('xoxb-cli-token');
    } finally {
      fake.failing.delete('auth.test');
    }
  });

  it('explains a rejected app token without printing it', async () => {
    fake.failing.set('apps.connections.open', 'invalid_auth');
    try {
      const t = io({ ...common(), SLACK_APP_TOKEN: 'xapp-cli-token', PORT: '0' });
      expect(await main(['start'], t.cli)).toBe(1);
      expect(t.err()).toContain(
        'Socket Mode did not connect (check SLACK_APP_TOKEN): invalid_auth',
      );
      expect(t.err()).not.toContain('xapp-cli-token');
    } finally {
      fake.failing.delete('apps.connections.open');
    }
  });

  it('reports a missing signing secret or app token as a configuration problem', async () => {
    const t = io({ SLACK_BOT_TOKEN: 'xoxb-cli-token', CACHE_DIR: 'off', LOG_LEVEL: 'silent' });
    expect(await main(['start'], t.cli)).toBe(2);
    expect(t.err()).toContain('neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET');
  });
});
