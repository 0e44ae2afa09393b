/**
 * Discord benchmark (issue 5): interaction round trip through the real discord.js Client and the
 * local fake (INTERACTION_CREATE dispatched -> interaction callback received), 50 in flight.
 *
 * The fake runs in its own worker thread (Discord is another machine, not a neighbour on our
 * event loop) and takes both timestamps itself, on one clock. Baseline, measured in the same run
 * against the same fake: a bare `ws` client on the main thread that answers each gateway frame
 * with a node:http POST (keep-alive) to the callback URL (the same sockets and server, without discord.js, the
 * bot or the renderer). Target: p99 <= 50 ms (Discord allows 3 seconds).
 */
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
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
const WARMUP_ROUNDS = 10;
/** One at a time: the cost of a single round trip, without queueing behind the others. */
const SEQUENTIAL = 200;
const WORKER_ROLE = 'aptcard-discord-bench-fake';

interface MeasureRequest {
  type: 'measure';
  queries: string[];
  rounds: number;
  inFlight: number;
}
type ToWorker = MeasureRequest | { type: 'close' };
type FromWorker =
  | { type: 'ready'; port: number; apiUrl: string }
  | { type: 'result'; ms: number[] }
  | { type: 'closed' };

/** In the worker: dispatch `inFlight` slash commands at once, `rounds` times; ms per round trip. */
async function measure(fake: FakeDiscord, m: MeasureRequest): Promise<number[]> {
  const pending = new Map<string, (at: number) => void>();
  const onRequest = (r: RecordedRequest) => {
    const id = /^\/api\/v10\/interactions\/(\d+)\//.exec(r.path)?.[1];
    const done = id ? pending.get(id) : undefined;
    if (id && done) {
      pending.delete(id);
      done(r.at);
    }
  };
  fake.on('request', onRequest);
  const out: number[] = [];
  try {
    for (let round = 0; round < m.rounds; round++) {
      const waits: Promise<number>[] = [];
      for (let i = 0; i < m.inFlight; i++) {
        const query = m.queries[(round * m.inFlight + i) % m.queries.length] ?? 'apt 21';
        const start = performance.now();
        const id = fake.slashCommand(query);
        waits.push(new Promise<number>((done) => pending.set(id, (at) => done(at - start))));
      }
      out.push(...(await Promise.all(waits)));
    }
  } finally {
    fake.off('request', onRequest);
  }
  return out.sort((a, b) => a - b);
}

async function workerMain(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const fake = await FakeDiscord.start();
  const send = (m: FromWorker) => port.postMessage(m);
  port.on('message', (m: ToWorker) => {
    if (m.type === 'measure') void measure(fake, m).then((ms) => send({ type: 'result', ms }));
    else void fake.close().then(() => send({ type: 'closed' }));
  });
  send({ type: 'ready', port: fake.port, apiUrl: fake.apiUrl });
}

if (!isMainThread && workerData === WORKER_ROLE) await workerMain();

/** The fake Discord in a worker thread, driven by messages. */
class RemoteFake {
  private constructor(
    private readonly worker: Worker,
    readonly port: number,
    readonly apiUrl: string,
  ) {}

  static async start(): Promise<RemoteFake> {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: WORKER_ROLE });
    const ready = await RemoteFake.next(worker, 'ready');
    return new RemoteFake(worker, ready.port, ready.apiUrl);
  }

  private static next<T extends FromWorker['type']>(
    worker: Worker,
    type: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type !== type) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(m as Extract<FromWorker, { type: T }>);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  async measure(queries: string[], rounds: number, inFlight = IN_FLIGHT): Promise<number[]> {
    const result = RemoteFake.next(this.worker, 'result');
    this.worker.postMessage({ type: 'measure', queries, rounds, inFlight } satisfies ToWorker);
    return (await result).ms;
  }

  async close(): Promise<void> {
    const closed = RemoteFake.next(this.worker, 'closed');
    this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await closed;
    await this.worker.terminate();
  }
}

/**
 * A bare client: each dispatched interaction is answered with a POST to its callback URL, through
 * node:http with keep-alive (what a minimal hand-written bot would do).
 */
async function bareClient(fake: RemoteFake): Promise<{ close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${fake.port}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const agent = new Agent({ keepAlive: true });
  const body = JSON.stringify({
    type: 4,
    data: { content: 'pong', allowed_mentions: { parse: [] } },
  });
  ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { t?: string; d?: { id: string; token: string } };
    if (frame.t !== 'INTERACTION_CREATE' || !frame.d) return;
    const req = request(`${fake.apiUrl}/v10/interactions/${frame.d.id}/${frame.d.token}/callback`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => res.resume());
    req.end(body);
  });
  return {
    close() {
      ws.close();
      agent.destroy();
    },
  };
}

function line(label: string, ms: number[], inFlight = IN_FLIGHT): string {
  return `${label}: median ${fmt(percentile(ms, 50), 2)} ms, p99 ${fmt(percentile(ms, 99), 2)} ms (n=${ms.length}, ${inFlight} in flight)`;
}

export async function run(): Promise<void> {
  const dir = existsSync(CORPUS) ? CORPUS : resolve(REPO, 'seeds');
  if (dir !== CORPUS) console.log(`corpus ${CORPUS} not found: using seeds/ (smaller cards)`);
  const library = openLibrary(dir, false);
  const queries = library.current.catalog.cards.map((e) => e.card.names[0] ?? e.card.uuid);

  // Baseline first, on its own fake, so the two clients never share a socket.
  const baseFake = await RemoteFake.start();
  const ws = await bareClient(baseFake);
  let baseline: number[];
  let baseBusy: number;
  let baseOne: number[];
  try {
    await baseFake.measure(queries, WARMUP_ROUNDS);
    const elu = performance.eventLoopUtilization();
    baseline = await baseFake.measure(queries, ROUNDS);
    baseBusy = performance.eventLoopUtilization(elu).active / baseline.length;
    baseOne = await baseFake.measure(queries, SEQUENTIAL, 1);
  } finally {
    ws.close();
    await baseFake.close();
  }

  const fake = await RemoteFake.start();
  const adapter = await startDiscord(
    new Bot(library),
    {
      token: TOKEN,
      applicationId: APP_ID,
      apiUrl: fake.apiUrl,
      answerInChannel: false,
      enrichChannels: [],
    },
    { logger: pino({ level: 'silent' }) as unknown as Logger },
  );
  let discord: number[];
  let busy: number;
  let one: number[];
  try {
    await fake.measure(queries, WARMUP_ROUNDS);
    const elu = performance.eventLoopUtilization();
    discord = await fake.measure(queries, ROUNDS);
    busy = performance.eventLoopUtilization(elu).active / discord.length;
    one = await fake.measure(queries, SEQUENTIAL, 1);
  } finally {
    await adapter.stop();
    await fake.close();
  }

  console.log(
    `catalog: ${library.current.size} cards; each interaction is /apt <actor name> -> profile card embed; fake Discord in a worker thread`,
  );
  console.log(line('interaction round trip (discord.js + bot + renderer)', discord));
  console.log(line('baseline: bare ws frame -> http POST, same fake', baseline));
  console.log(line('interaction round trip, one at a time', one, 1));
  console.log(line('baseline, one at a time', baseOne, 1));
  console.log(
    `main-thread busy time per interaction (event-loop utilisation, less load-sensitive than latency): ${fmt(busy, 3)} ms vs baseline ${fmt(baseBusy, 3)} ms (${fmt(busy / baseBusy)}x)`,
  );
  const p99 = percentile(discord, 99);
  console.log(
    `ratio: median ${fmt(percentile(discord, 50) / percentile(baseline, 50))}x, p99 ${fmt(p99 / percentile(baseline, 99))}x the baseline; p99 ${fmt(p99, 1)} ms [target <= 50 ms; Discord's limit 3000 ms] ${p99 <= 50 ? 'OK' : 'OVER TARGET'}`,
  );
}
