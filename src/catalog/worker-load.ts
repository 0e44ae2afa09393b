/**
 * The main thread's side of a build in a worker thread (src/catalog/watch-worker.ts), as hot
 * reload uses it: start the worker, and make its reply a usable index here.
 */
import { Worker } from 'node:worker_threads';
import { compiledModule } from '../code-location.js';
import { SearchIndex } from '../search/index.js';
import { searchIndexInSteps } from '../search/index-in-steps.js';
import type { Slices } from '../search/index-io.js';
import { buildCatalog } from './catalog.js';
import { buildCatalogInSteps } from './catalog-in-steps.js';
import type { BuildReply, BuildRequest, BuiltReply } from './protocol.js';
import { receiveReplies } from './reply-parts.js';

/** Starts the compiled worker; undefined when running from the TypeScript sources. */
export function defaultWorker(): (() => Worker) | undefined {
  const path = compiledModule('catalog/watch-worker.js');
  return path ? () => new Worker(path) : undefined;
}

/** The catalog and index a worker built, made usable on this thread. */
export function indexFromReply(reply: BuiltReply): SearchIndex {
  // The worker's grouping and profiles are taken as they are (nothing derived again on this
  // thread, where queries wait), and so are the issues it reported.
  const catalog = buildCatalog(reply.cards, [], reply.overrides, reply.derived, reply.issues);
  const { names, text } = reply.serialized;
  // Warmed now, so the first prose query does not pay for loading it.
  return new SearchIndex(catalog, { names, text: () => text }).warm();
}

/**
 * The same, for a reply that arrives while another index serves (hot reload's full rebuild):
 * made in slices (catalog-in-steps.ts, index-in-steps.ts), so the serving index's queries are answered in
 * between.
 */
export async function indexFromReplyInSteps(
  reply: BuiltReply,
  slices: Slices,
): Promise<SearchIndex> {
  const { cards, overrides, derived, issues } = reply;
  const catalog = derived
    ? await buildCatalogInSteps(cards, overrides, derived, issues, slices)
    : buildCatalog(cards, [], overrides, derived, issues);
  const { names, text } = reply.serialized;
  await slices.pause();
  return searchIndexInSteps(catalog, { names, text: () => text }, slices);
}

/** Slices between turns of the event loop that remember the longest one. */
export function timedSlices(): Slices & { longest(): number } {
  let resumed = performance.now();
  let longest = 0;
  return {
    pause: async () => {
      longest = Math.max(longest, performance.now() - resumed);
      await new Promise((resolve) => setImmediate(resolve));
      resumed = performance.now();
    },
    longest: () => longest,
  };
}

/** Send one request to a fresh worker, wait for its reply, end the worker. */
async function once(start: () => Worker, request: BuildRequest): Promise<BuildReply> {
  const worker = start();
  try {
    return await new Promise<BuildReply>((resolve, reject) => {
      receiveReplies(worker, resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`card loader worker exited (code ${code})`)));
      worker.postMessage(request);
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * Load a folder and build its index once in a worker thread, which then ends, and hand the
 * result over. Undefined when the compiled worker is not there.
 */
export async function loadInWorker(
  dir: string,
  cacheDir: string | false,
  start: (() => Worker) | undefined = defaultWorker(),
): Promise<SearchIndex | undefined> {
  if (!start) return undefined;
  const reply = await once(start, { id: 1, dir, cacheDir });
  if (!reply.ok) throw new Error(reply.error);
  if (!('cards' in reply)) throw new Error('card loader worker sent no cards');
  return indexFromReply(reply);
}
