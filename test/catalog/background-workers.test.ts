/**
 * The background builds give way to the thread that answers queries: their worker threads run
 * at a lower priority (background-priority.ts), and the reload worker fills its caches only
 * once the main thread has taken its reply in (reply-parts.ts, ReplyTaken).
 */
import { existsSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BACKGROUND_NICE,
  lowerThisThreadsPriority,
} from '../../src/catalog/background-priority.js';
import { hasCardCache } from '../../src/catalog/card-cache.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { ReloadWorker } from '../../src/catalog/reload-worker.js';
import { ScannerClient } from '../../src/detect/scanner-client.js';
import { cardsFolder } from '../helpers/cards.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const DIST = (path: string) => resolve(REPO_ROOT, 'dist/src', path);
const RELOAD_WORKER = DIST('catalog/watch-worker.js');
const SCANNER_WORKER = DIST('detect/scanner-worker.js');
const PRIORITY = DIST('catalog/background-priority.js');
const built = [RELOAD_WORKER, SCANNER_WORKER, PRIORITY].every((p) => existsSync(p));
if (!built) console.warn('[background-workers] SKIPPED worker runs: dist/ not built');
const linux = process.platform === 'linux';
if (!linux) console.warn('[background-workers] SKIPPED thread priorities: Linux only');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** This process's threads at a nice value of at least BACKGROUND_NICE. */
function niceThreads(): number[] {
  return readdirSync('/proc/self/task')
    .map(Number)
    .filter((tid) => {
      try {
        return getPriority(tid) >= BACKGROUND_NICE;
      } catch {
        return false; // ended meanwhile
      }
    });
}

describe.skipIf(!linux)('background threads run at a lower priority', () => {
  it('never lowers the main thread', () => {
    const before = getPriority(process.pid);
    expect(lowerThisThreadsPriority()).toBe(false);
    expect(getPriority(process.pid)).toBe(before);
  });

  it.skipIf(!built)('lowers the worker thread that asks, and only that thread', async () => {
    const before = niceThreads();
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { readlinkSync } = require('node:fs');
      import(workerData.url).then((m) => {
        const done = m.lowerThisThreadsPriority();
        const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
        parentPort.postMessage({ done, tid });
        setTimeout(() => {}, 60_000);
      });`;
    const worker = new Worker(code, {
      eval: true,
      workerData: { url: pathToFileURL(PRIORITY).href },
    });
    cleanups.push(() => worker.terminate());
    const reply = await new Promise<{ done: boolean; tid: number }>((r) =>
      worker.once('message', r),
    );
    expect(reply.done).toBe(true);
    expect(reply.tid).not.toBe(process.pid);
    expect(getPriority(reply.tid)).toBe(BACKGROUND_NICE);
    expect(niceThreads().filter((t) => !before.includes(t))).toEqual([reply.tid]);
    expect(getPriority(process.pid)).toBeLessThan(BACKGROUND_NICE);
  });

  it.skipIf(!built)('the reload worker and the scanner worker are such threads', async () => {
    const { dir, cleanup } = cardsFolder();
    cleanups.push(cleanup);
    const before = niceThreads();
    const reload = new ReloadWorker(
      () => new Worker(RELOAD_WORKER),
      () => {},
    );
    cleanups.push(() => reload.end());
    const reply = await reload.request({ id: 1, dir, cacheDir: false });
    expect(reply.ok).toBe(true);
    const afterReload = niceThreads().filter((t) => !before.includes(t));
    expect(afterReload).toHaveLength(1);
    const scanner = new ScannerClient(() => new Worker(SCANNER_WORKER), {});
    cleanups.push(() => scanner.end());
    await scanner.build(loadCatalog(dir, { cacheDir: false }));
    expect(niceThreads().filter((t) => !before.includes(t))).toHaveLength(2);
    expect(getPriority(process.pid)).toBeLessThan(BACKGROUND_NICE);
  });
});

describe.skipIf(!built)('the reload worker fills its caches after the reply is taken in', () => {
  it('writes nothing until the main thread says it took the reply, then the caches', async () => {
    const { dir, cleanup } = cardsFolder();
    cleanups.push(cleanup);
    const cache = cardsFolder({}, []);
    cleanups.push(cache.cleanup);
    const reload = new ReloadWorker(
      () => new Worker(RELOAD_WORKER),
      () => {},
    );
    cleanups.push(() => reload.end());
    const reply = await reload.request({ id: 7, dir, cacheDir: cache.dir, incremental: true });
    expect(reply.ok && 'cards' in reply && reply.cards.length).toBeGreaterThan(0);
    // A fixture folder's caches take the worker a few milliseconds: this is ample.
    await new Promise((r) => setTimeout(r, 400));
    expect(hasCardCache(dir, cache.dir)).toBe(false);
    reload.taken(6); // an older reply's: not this one
    await new Promise((r) => setTimeout(r, 200));
    expect(hasCardCache(dir, cache.dir)).toBe(false);
    reload.taken(7);
    await vi.waitFor(() => expect(hasCardCache(dir, cache.dir)).toBe(true), {
      timeout: 10_000,
      interval: 20,
    });
    // A start reads this folder's cards back from it.
    expect(loadCatalog(dir, { cacheDir: cache.dir }).cards.map((c) => c.card)).toEqual(
      loadCatalog(dir, { cacheDir: false }).cards.map((c) => c.card),
    );
  });
});
