/**
 * The main thread's side of the scanner worker (scanner-worker.ts): the enrichment scanner of
 * a catalog is built there, and its tables come back as transferred buffers, so the main thread
 * only reads each actor's names (in slices of a few milliseconds, and only for actors the
 * worker has not been sent before) and then wraps the tables (detector.ts). At 10,000 cards a
 * build on the main thread held it for 0.7-1.6 s after every reload.
 */
import { Worker } from 'node:worker_threads';
import { allNames, displayName, type LoadedCard } from '../cards/model.js';
import type { Catalog } from '../catalog/catalog.js';
import { compiledModule } from '../code-location.js';
import type { BuildPolicy } from './scanner-build.js';
import { isScannerTables, type ScannerTables } from './scanner-tables.js';

export type ScannerMessage =
  /** Names of actors the worker has not had: [number, uuid, display name, every name]. */
  | { kind: 'add'; actors: [number, string, string, string[]][] }
  /** Build over these actors (by number, in the catalog's order). */
  | { kind: 'build'; id: number; ids: Int32Array; policy: BuildPolicy };

export type ScannerReply =
  | { id: number; ok: true; tables: ScannerTables }
  | { id: number; ok: false; error: string };

/** How long the main thread reads names before it lets other work run. */
const SLICE_MS = 4;
/** Actors' names per message to the worker (a message is cloned on the main thread). */
const BATCH = 500;
/** An idle worker is ended after this long (it holds the English lists and every name). */
export const SCANNER_IDLE_MS = 10 * 60_000;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts the compiled scanner worker; undefined when running from the TypeScript sources. */
export function defaultScannerWorker(): (() => Worker) | undefined {
  const path = compiledModule('detect/scanner-worker.js');
  return path ? () => new Worker(path) : undefined;
}

export class ScannerClient {
  private worker: Worker | undefined;
  /** The profile entries the current worker was sent, and their numbers there. */
  private sent = new WeakMap<LoadedCard, number>();
  private nextActor = 0;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ScannerReply) => void>();
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly start: () => Worker,
    private readonly policy: BuildPolicy,
    private readonly idleMs = SCANNER_IDLE_MS,
  ) {}

  /** The tables of this catalog's scanner (its actors' profiles, in order). */
  async build(catalog: Catalog): Promise<ScannerTables> {
    try {
      return await this.buildOnce(catalog);
    } catch (err) {
      if (!(err instanceof MissingActorError)) throw err;
      // The worker forgot an actor it was sent (it keeps the newest catalog's): send all again.
      this.sent = new WeakMap();
      return this.buildOnce(catalog);
    }
  }

  private async buildOnce(catalog: Catalog): Promise<ScannerTables> {
    clearTimeout(this.idle);
    const worker = this.ensure();
    const { actors } = catalog;
    const ids = new Int32Array(actors.length);
    let batch: [number, string, string, string[]][] = [];
    let slice = performance.now();
    for (let i = 0; i < actors.length; i++) {
      const entry = actors[i]!.profile.entry;
      let id = this.sent.get(entry);
      if (id === undefined) {
        id = this.nextActor++;
        this.sent.set(entry, id);
        const { card } = entry;
        batch.push([id, card.uuid, displayName(card), allNames(card)]);
      }
      ids[i] = id;
      if (batch.length >= BATCH || performance.now() - slice > SLICE_MS) {
        if (batch.length > 0) worker.postMessage({ kind: 'add', actors: batch } as ScannerMessage);
        batch = [];
        await tick();
        if (this.worker !== worker) throw new Error('scanner worker ended');
        slice = performance.now();
      }
    }
    if (batch.length > 0) worker.postMessage({ kind: 'add', actors: batch } as ScannerMessage);
    const id = this.nextId++;
    const reply = await new Promise<ScannerReply>((resolve) => {
      this.pending.set(id, resolve);
      const message: ScannerMessage = { kind: 'build', id, ids, policy: this.policy };
      worker.postMessage(message, [ids.buffer as ArrayBuffer]);
    });
    this.idle = setTimeout(() => void this.end(), this.idleMs);
    this.idle.unref();
    if (!reply.ok) {
      if (reply.error.startsWith('no actor')) throw new MissingActorError(reply.error);
      throw new Error(reply.error);
    }
    if (!isScannerTables(reply.tables) || reply.tables.actors !== actors.length)
      throw new Error('scanner worker sent tables of another shape');
    return reply.tables;
  }

  /** End the worker; a build in flight fails. */
  end(): Promise<number> | undefined {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    this.sent = new WeakMap();
    return worker?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = this.start();
    worker.unref();
    this.sent = new WeakMap();
    worker.on('message', (reply: ScannerReply) => {
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      resolve?.(reply);
    });
    worker.on('error', () => {
      // Reported to the waiting builds as their failure (below), which fall back.
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.sent = new WeakMap();
      }
      for (const [id, resolve] of this.pending) {
        resolve({ id, ok: false, error: `scanner worker exited (code ${code})` });
      }
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }
}

class MissingActorError extends Error {}
