/**
 * Discord benchmark (issue 5): interaction round trip through the real discord.js Client and the
 * local fake (INTERACTION_CREATE dispatched -> interaction callback received), 50 in flight,
 * against a baseline measured in the same run: a bare `ws` client that answers each gateway frame
 * with an HTTP POST to the same fake (the same sockets and server, without discord.js, the bot or
 * the renderer). Target: p99 <= 50 ms (Discord allows 3 seconds).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import { startDiscord } from '../adapters/discord/client.js';
import { Bot } from '../src/bot.js';
import { openLibrary } from '../src/catalog/open.js';
import type { Logger } from '../src/log.js';
import { APP_ID, FakeDiscord, type RecordedRequest, TOKEN } from '../test/e2e/discord-fake.js';
import { fmt, percentile } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, existsSync(resolve(HERE, '../package.json')) ? '..' : '../..');
const CORPUS = resolve(REPO, '../shared/corpus/etda-cards');

const IN_FLIGHT = 50;
const ROUNDS = 20;
const WARMUP_ROUNDS = 3;

/** Dispatch `IN_FLIGHT` interactions at once, `rounds` times; milliseconds per round trip. */
async function measure(
  fake: FakeDiscord,
  dispatch: (i: number) => string,
  rounds: number,
): Promise<number[]> {
  const pending = new Map<string, { start: number; done: (at: number) => void }>();
  const onRequest = (r: RecordedRequest) => {
    const id = /^\/api\/v10\/interactions\/(\d+)\//.exec(r.path)?.[1];
    const entry = id ? pending.get(id) : undefined;
    if (id && entry) {
      pending.delete(id);
      entry.done(r.at);
    }
  };
  fake.on('request', onRequest);
  const out: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const waits: Promise<number>[] = [];
      for (let i = 0; i < IN_FLIGHT; i++) {
        const start = performance.now();
        const id = dispatch(round * IN_FLIGHT + i);
        waits.push(
          new Promise<number>((resolve) => {
            pending.set(id, { start, done: (at) => resolve(at - start) });
          }),
        );
      }
      out.push(...(await Promise.all(waits)));
    }
  } finally {
    fake.off('request', onRequest);
  }
  return out.sort((a, b) => a - b);
}

function line(label: string, ms: number[]): string {
  return `${label}: median ${fmt(percentile(ms, 50), 2)} ms, p99 ${fmt(percentile(ms, 99), 2)} ms (n=${ms.length}, ${IN_FLIGHT} in flight)`;
}

/** A bare client: each dispatched frame is answered with a POST to the interaction callback. */
async function bareClient(fake: FakeDiscord): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${fake.port}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { t?: string; d?: { id: string; token: string } };
    if (frame.t !== 'INTERACTION_CREATE' || !frame.d) return;
    void fetch(`${fake.apiUrl}/v10/interactions/${frame.d.id}/${frame.d.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'pong', allowed_mentions: { parse: [] } } }),
    }).then((res) => res.arrayBuffer());
  });
  return ws;
}

export async function run(): Promise<void> {
  const dir = existsSync(CORPUS) ? CORPUS : resolve(REPO, 'seeds');
  if (dir !== CORPUS) console.log(`corpus ${CORPUS} not found: using seeds/ (smaller cards)`);
  const library = openLibrary(dir, false);
  const names = library.current.catalog.cards.map((e) => e.card.names[0] ?? e.card.uuid);
  const query = (i: number) => names[i % names.length] ?? 'apt 21';

  // Baseline first, on its own fake, so the two never share a socket.
  const baseFake = await FakeDiscord.start();
  const ws = await bareClient(baseFake);
  let baseline: number[];
  try {
    await measure(baseFake, (i) => baseFake.slashCommand(query(i)), WARMUP_ROUNDS);
    baseline = await measure(baseFake, (i) => baseFake.slashCommand(query(i)), ROUNDS);
  } finally {
    ws.close();
    await baseFake.close();
  }

  const fake = await FakeDiscord.start();
  const logger = pino({ level: 'silent' }) as unknown as Logger;
  const adapter = await startDiscord(
    new Bot(library),
    {
      token: TOKEN,
      applicationId: APP_ID,
      apiUrl: fake.apiUrl,
      answerInChannel: false,
      enrichChannels: [],
    },
    { logger },
  );
  let discord: number[];
  try {
    await measure(fake, (i) => fake.slashCommand(query(i)), WARMUP_ROUNDS);
    discord = await measure(fake, (i) => fake.slashCommand(query(i)), ROUNDS);
  } finally {
    await adapter.stop();
    await fake.close();
  }

  console.log(
    `catalog: ${library.current.size} cards; each interaction is /apt <actor name> -> profile card`,
  );
  console.log(line('interaction round trip (discord.js + bot + renderer)', discord));
  console.log(line('baseline: bare ws frame -> fetch POST, same fake', baseline));
  const p99 = percentile(discord, 99);
  console.log(
    `ratio: median ${fmt(percentile(discord, 50) / percentile(baseline, 50))}x, p99 ${fmt(p99 / percentile(baseline, 99))}x the baseline; p99 ${fmt(p99, 1)} ms [target <= 50 ms; Discord's limit 3000 ms] ${p99 <= 50 ? 'OK' : 'OVER TARGET'}`,
  );
}
