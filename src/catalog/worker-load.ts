/**
 * Building a catalog and its index off this thread: in a worker thread (src/catalog/watch-worker.ts)
 * for hot reload, with the result made usable here; in a separate process
 * (src/catalog/prime-process.ts) that only fills the caches, for a large first start.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { log } from '../log.js';
import { SearchIndex } from '../search/index.js';
import { buildCatalog, type Catalog } from './catalog.js';
import type { BuildReply, BuildRequest, BuiltReply } from './watch-worker.js';

/**
 * The path of a compiled script next to this module; undefined when running from the
 * TypeScript sources (where only the .ts file is there).
 */
function compiledSibling(file: string): string | undefined {
  const url = new URL(file, import.meta.url);
  if (url.protocol !== 'file:') return undefined;
  const path = fileURLToPath(url);
  return existsSync(path) ? path : undefined;
}

/** Starts the compiled worker; undefined when running from the TypeScript sources. */
export function defaultWorker(): (() => Worker) | undefined {
  const path = compiledSibling('./watch-worker.js');
  return path ? () => new Worker(path) : undefined;
}

/** The catalog and index a worker built, made usable on this thread. */
export function indexFromReply(reply: BuiltReply): SearchIndex {
  const base = buildCatalog(reply.cards, [], reply.overrides);
  // buildCatalog re-derives the catalog-wide issues the worker already reported.
  const catalog: Catalog = { ...base, issues: reply.issues };
  const { names, text } = reply.serialized;
  // Warmed now, so the first prose query does not pay for loading it.
  return new SearchIndex(catalog, { names, text: () => text }).warm();
}

/** Send one request to a fresh worker, wait for its reply, end the worker. */
async function once(start: () => Worker, request: BuildRequest): Promise<BuildReply> {
  const worker = start();
  try {
    return await new Promise<BuildReply>((resolve, reject) => {
      worker.once('message', resolve);
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

/** What a priming process reports: how long it took and its peak RSS. */
export interface PrimeStats {
  ms: number;
  peakRssMB: number;
}

/**
 * V8 limits for the priming process. Parsing thousands of cards makes far more garbage than it
 * keeps; with the default limits the heap grows to about 400 MB for 10,000 cards before V8
 * collects, with these it stays near 270 MB (collected more often, about 15% slower). The
 * old-space cap grows with the folder: 264 MB for 10,000 generated cards, about 40% above the
 * 185 MB of heap they use at the end. A folder that needs more is primed again without it.
 */
function memoryFlags(files: number): string[] {
  const oldSpaceMB = Math.max(256, 64 + Math.ceil(files / 50));
  return ['--max-semi-space-size=4', `--max-old-space-size=${oldSpaceMB}`];
}

function runPrime(script: string, flags: string[], dir: string, cacheDir: string) {
  return new Promise<PrimeStats>((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, script, dir, cacheDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out = (out + s).slice(-4096);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      err = (err + s).slice(-4096);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) {
        try {
          resolve(JSON.parse(out) as PrimeStats);
        } catch {
          resolve({ ms: Number.NaN, peakRssMB: Number.NaN });
        }
        return;
      }
      const why = err.trim().split('\n').slice(-3).join(' | ') || `signal ${signal}`;
      reject(new Error(`card loader process exited (code ${code}): ${why}`));
    });
  });
}

/**
 * Parse a folder and build its indexes in a separate process only to fill the caches, so that
 * the caller's own load is a cache hit: the garbage of parsing thousands of cards never enters
 * the caller's heap, and all the memory it took goes back to the system when the process ends
 * (a worker thread's would stay in this process). Undefined when the compiled script is not
 * there.
 */
export async function primeCachesInProcess(
  dir: string,
  cacheDir: string,
  files: number,
  script: string | undefined = compiledSibling('./prime-process.js'),
): Promise<PrimeStats | undefined> {
  if (!script) return undefined;
  try {
    return await runPrime(script, memoryFlags(files), dir, cacheDir);
  } catch (err) {
    // Most likely the old-space cap (an unusually large catalog): once more without it.
    log.warn(
      { err: (err as Error).message },
      'card loader process failed; retrying without its memory cap',
    );
    return await runPrime(script, [], dir, cacheDir);
  }
}
