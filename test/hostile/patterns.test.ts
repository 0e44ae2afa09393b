/**
 * Every function that runs a pattern over user text, fed the hostile corpus in a worker thread
 * with a deadline: a pattern that backtracks (quadratic on a 40,000-character run) misses the
 * deadline and fails the test, however fast or slow the machine, without timing anything.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';
import { HOSTILE_INPUTS } from '../helpers/hostile.js';

/** Generous: the whole corpus takes well under a second; one quadratic pattern takes minutes. */
const DEADLINE_MS = 8_000;

const dist = (path: string) => pathToFileURL(join(REPO_ROOT, 'dist', path)).href;

/** The built modules (test/global-setup.ts builds dist/), as a worker can load them. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const text = await import(workerData.text);
  const bot = await import(workerData.bot);
  const consoleAdapter = await import(workerData.console);
  const results = [];
  for (const input of workerData.inputs) {
    const stripped = text.stripBotMention('<@UBOT> ' + input, 'UBOT');
    text.stripBotMention(input, undefined);
    const plain = text.slackToPlain(stripped);
    const query = bot.queryFromMention(plain);
    consoleAdapter.consoleRequest('@aptcard ' + input);
    results.push(query.length);
  }
  parentPort.postMessage(results);
})().catch((err) => parentPort.postMessage({ error: String(err) }));
`;

function runInWorker(inputs: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        inputs,
        text: dist('adapters/slack/text.js'),
        bot: dist('src/bot.js'),
        console: dist('adapters/console/index.js'),
      },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`patterns still running after ${DEADLINE_MS} ms`));
    }, DEADLINE_MS);
    worker.once('message', (m: number[] | { error: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (Array.isArray(m)) resolve(m);
      else reject(new Error(m.error));
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe('patterns on user text', () => {
  it('run the whole hostile corpus within the deadline', async () => {
    const lengths = await runInWorker(HOSTILE_INPUTS.map((i) => i.text));
    expect(lengths).toHaveLength(HOSTILE_INPUTS.length);
    // A query is cut to the mention limit, whatever came in.
    expect(Math.max(...lengths)).toBeLessThanOrEqual(4000);
  });
});
